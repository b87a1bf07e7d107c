/**
 * Shared by the torch tests: whether /usr/bin/python3 with torch is here (or why the tests skip), the
 * generated modules of both targets, and one Python harness process running many jobs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTorch } from '../../compiler/codegen/index.js';
import { writeTorchPackage } from '../../runtime/torch/package.js';
import { displayPath, type Network } from '../codegen/helpers.js';

export const PYTHON = '/usr/bin/python3';

let probed: string | null | undefined;

/** Why the torch tests cannot run here (no Python, no torch), or null when they can. */
export function torchMissing(): string | null {
  if (probed !== undefined) return probed;
  if (!existsSync(PYTHON)) return (probed = `${PYTHON} is missing (apt-get install python3-torch)`);
  const result = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  probed = result.status === 0 ? null : `${PYTHON} cannot import torch and numpy (apt-get install python3-torch): ${result.stderr.trim().split('\n').at(-1)}`;
  return probed;
}

/** Prints why the file's tests are skipped; true when they should run. */
export function torchTestsRun(file: string): boolean {
  const missing = torchMissing();
  if (missing) console.log(`  skipped ${file}: ${missing}`);
  return missing === null;
}

/** A fresh folder holding the gnet_torch package. */
export function torchOutDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-torch-'));
  writeTorchPackage(dir);
  return dir;
}

/** Writes the network's PyTorch module into `dir`; returns its path. */
export function writeTorchModule(dir: string, network: Network): string {
  const module = generateTorch(network.graph, network.analysis, { sources: network.sources, displayPath });
  const path = join(dir, `${module.network}.py`);
  writeFileSync(path, module.source);
  return path;
}

/** Runs Python code (a script's text) in `dir` with the package importable; returns stdout, throws with stderr. */
export function runPython(dir: string, code: string, args: readonly string[] = []): string {
  return execFileSync(PYTHON, ['-c', code, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
}

export interface HarnessJob {
  readonly module: string;
  readonly weights: string;
  readonly inputs: string;
  readonly out: string;
  readonly training: boolean;
  readonly state?: { readonly seed: number; readonly epoch: number; readonly step: number };
}

/** One harness process for every job (python3 -m gnet_torch.harness); job failures are in their out files. */
export function runHarness(dir: string, jobs: readonly HarnessJob[]): void {
  const path = join(dir, 'jobs.json');
  writeFileSync(path, JSON.stringify({ jobs }));
  spawnSync(PYTHON, ['-m', 'gnet_torch.harness', path], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', OMP_NUM_THREADS: '1' } });
}
