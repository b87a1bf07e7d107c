/** Waiting on a real cluster in the Slurm tests. */
import { spawnSync } from 'node:child_process';

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
