/** `gnet train` in a child process (test/support/gnet-command.ts), and the step of its newest checkpoint. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** stderr so far. */
  stderr(): string;
}

export function gnet(args: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [...GNET_NODE_ARGS, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { process: child, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr }))), stderr: () => stderr };
}

/** The step of the newest checkpoint in the run directory, or −1 while there is none. */
export function checkpointStep(out: string): number {
  return listCheckpoints(join(out, 'checkpoint')).find((e) => e.manifest)?.step ?? -1;
}

export async function waitFor(condition: () => boolean, child: Child, what: string): Promise<void> {
  let done = false;
  child.exited.then(() => (done = true));
  while (!condition()) {
    if (done) throw new Error(`gnet train ended before ${what}: ${(await child.exited).stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
