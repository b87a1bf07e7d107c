/** Waiting on a real cluster, and srun, in the Slurm tests. */
import { spawn, spawnSync } from 'node:child_process';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';
import { PYTHON } from '../torch/helpers.js';
import { CELLS_SPEC, ROOT } from '../torch/train-helpers.js';

/** The tasks of a job Slurm still holds (queued, running or completing); none once it forgot the job. */
export function liveTasks(jobId: string): string[] {
  const result = spawnSync('squeue', ['--noheader', '--array', `--jobs=${jobId}`, '--format=%i %T'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n').filter((l) => l.trim() !== '') : [];
}

export async function until(condition: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `srun ARGS` on the test cluster (SLURM_CONF is set by startCluster); its exit and stderr. */
export function srun(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('srun', args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** The torch backend at one thread per worker, so runs add up their gradients in the same order. */
export const THREADS_1 = ['--backend', 'torch', '--threads', '1'];

/** `srun -n 2 gnet train` of the torch tests' spec with THREADS_1 and ARGS (job name gnet-srun-test), each task with TMPDIR `tmp`. */
export const srunTrain = (args: readonly string[], tmp: string) =>
  srun(['-n', '2', '--kill-on-bad-exit=1', '--job-name=gnet-srun-test', process.execPath, ...GNET_NODE_ARGS, 'train', CELLS_SPEC, ...THREADS_1, ...args], { cwd: ROOT, env: { GNET_PYTHON: PYTHON, TMPDIR: tmp } });
