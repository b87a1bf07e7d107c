/** Waiting on a real cluster in the Slurm tests. */
import { spawn, spawnSync } from 'node:child_process';

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
