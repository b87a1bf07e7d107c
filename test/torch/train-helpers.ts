/**
 * Shared by the torch trainer's tests (train-*, dist-*, backend-*): `gnet train` in a child process
 * with the Python that has torch, and readers for what a run directory holds.
 */
import { listCheckpoints, manifestName } from '../../runtime/train/checkpoint.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';
import { PYTHON } from './helpers.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CELLS_SPEC = join(ROOT, 'test/torch/fixtures/train-cells.gnet');

export interface Run {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** stderr so far. */
  stderr(): string;
}

/** `gnet train|eval|… ARGS` with GNET_PYTHON set to the Python that has torch (unless env overrides it). */
export function gnet(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [...GNET_NODE_ARGS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GNET_PYTHON: PYTHON, ...env } });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  return { process: child, stderr: () => stderr, exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr }))) };
}

export const tempRun = (label: string): string => join(mkdtempSync(join(tmpdir(), `gnet-torch-${label}-`)), 'run');

export interface SavedCheckpoint {
  readonly manifest: { position: { step: number; epoch: number }; weights: { name: string; shape: number[] }[]; optimizerSlots: { name: string; shape: number[] }[]; weightsFile: string; learningRate: number };
  /** Every weight (then every optimiser slot, prefixed optimizer/) by name. */
  readonly arrays: Map<string, Float32Array>;
}

/** The newest checkpoint's (or that of `step`'s) manifest and its .bin, decoded by hand (float32 in manifest order). */
export function readCheckpoint(run: string, step?: number): SavedCheckpoint {
  const folder = join(run, 'checkpoint');
  const chosen = step === undefined ? listCheckpoints(folder)[0] : { file: manifestName(step) };
  if (!chosen || !existsSync(join(folder, chosen.file))) throw new Error(`no checkpoint${step === undefined ? '' : ` of step ${step}`} in ${folder}`);
  const manifest = JSON.parse(readFileSync(join(folder, chosen.file), 'utf8'));
  const bytes = readFileSync(join(folder, manifest.weightsFile));
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const arrays = new Map<string, Float32Array>();
  let at = 0;
  for (const [prefix, list] of [['', manifest.weights], ['optimizer/', manifest.optimizerSlots]] as const) {
    for (const entry of list as { name: string; shape: number[] }[]) {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      arrays.set(prefix + entry.name, floats.slice(at, at + count));
      at += count;
    }
  }
  return { manifest, arrays };
}

/** Largest |a − b| over the model weights two checkpoints share. */
export function maxWeightDifference(a: SavedCheckpoint, b: SavedCheckpoint): number {
  let worst = 0;
  for (const { name } of a.manifest.weights) {
    const x = a.arrays.get(name)!;
    const y = b.arrays.get(name)!;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  }
  return worst;
}

/** Files a half-finished write would leave in the checkpoint folder or the staging folder. */
export function leftovers(run: string): string[] {
  const folders = [join(run, 'checkpoint'), join(run, 'torch', 'staging')].filter(existsSync);
  return folders.flatMap((f) => readdirSync(f).filter((name) => name.includes('.tmp-') || name.endsWith('.partial')));
}

export async function waitFor(condition: () => boolean, run: Run, what: string): Promise<void> {
  let done = false;
  void run.exited.then(() => (done = true));
  while (!condition()) {
    if (done) throw new Error(`gnet ended before ${what}: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
