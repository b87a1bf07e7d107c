import { existsSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CELL_LOG } from '../../runtime/experiment/cells.js';
import type { ExperimentPlan } from '../../runtime/experiment/plan.js';
import type { ExperimentRequest } from '../../runtime/experiment/request.js';
import type { CellJob } from '../../runtime/experiment/run-cell.js';
import { submitArray } from '../../runtime/experiment/slurm-array.js';
import { followArray } from '../../runtime/experiment/slurm-wait.js';
import { writeResults } from '../../runtime/experiment/write-results.js';
import { LOCK_FILE } from '../../runtime/train/run-lock.js';
import { relativePath } from '../load.js';
import type { GridJobs } from './experiment-jobs.js';
import { STOP_SIGNALS } from './train.js';

/**
 * `gnet experiment --executor slurm`: the cells still to train go to Slurm as one job array (busy
 * cells, whose task is still queued or running, are left to it). By default gnet returns once the
 * array is submitted: each task rewrites the results when its run ends, and `gnet experiment
 * --report DIR` shows where every run stands. With --wait it follows the array as a local run would.
 */
export async function submitGrid(request: ExperimentRequest, out: string, plan: ExperimentPlan, grid: GridJobs, release: () => void): Promise<number> {
  const where = relativePath(out);
  const counts = `${plan.networks.length} network(s) × ${plan.trainSizes.length} size(s) × ${plan.seeds} seed(s) = ${grid.cells.length} runs; ${grid.done} complete`;
  const busy = grid.busy > 0 ? `, ${grid.busy} still queued or running in Slurm (left to their tasks)` : '';
  if (grid.jobs.length === 0) {
    release();
    writeResults(out, plan);
    process.stderr.write(`gnet: experiment ${where}: ${counts}${busy}; nothing to submit\n`);
    return 0;
  }
  for (const job of grid.jobs) freeForeignLock(job);
  const array = submitArray({ out, jobs: grid.jobs, slurm: request.slurm!, throttle: request.throttle, command: grid.jobs[0]!.command });
  release();
  writeResults(out, plan);
  const pace = request.throttle === undefined ? 'as many at a time as Slurm allows' : `${request.throttle} at a time`;
  process.stderr.write(`gnet: experiment ${where}: ${counts}${busy}; ${grid.jobs.length} submitted to Slurm as job array ${array.jobId} (tasks 0-${grid.jobs.length - 1}, ${pace})\n`);
  if (!request.wait) {
    process.stderr.write(`gnet: each task rewrites ${where}/results.md when its run ends; see where every run stands with: gnet experiment --report ${where}  (squeue -j ${array.jobId}; scancel ${array.jobId} cancels the rest)\n`);
    return 0;
  }
  return follow(request, out, plan, grid, array);
}

async function follow(request: ExperimentRequest, out: string, plan: ExperimentPlan, grid: GridJobs, array: Parameters<typeof followArray>[0]): Promise<number> {
  const where = relativePath(out);
  const stop = new AbortController();
  let received: keyof typeof STOP_SIGNALS | undefined;
  const handlers = (Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[]).map((signal) => [signal, () => ((received = signal), stop.abort())] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  let summary;
  try {
    const intervalMs = 1000 * Number(process.env.GNET_SLURM_POLL ?? 10);
    summary = await followArray(array, { out, total: grid.cells.length, alreadyDone: grid.done, metric: plan.metric, log: (line) => process.stderr.write(`gnet: ${line}\n`), intervalMs, signal: stop.signal });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  writeResults(out, plan);
  process.stderr.write(`gnet: results → ${where}/results.md (also .csv, .json, .html)\n`);
  if (received) {
    process.stderr.write(`gnet: ${received}: stopped following; job array ${array.jobId} goes on in Slurm (scancel ${array.jobId} cancels it); gnet experiment --report ${where} shows where it stands\n`);
    return STOP_SIGNALS[received];
  }
  if (summary.stopped > 0) process.stderr.write(`gnet: Slurm stopped ${summary.stopped} task(s) before their runs were complete; run the same command again to resubmit them (they resume from their checkpoints)\n`);
  if (summary.failed > 0) process.stderr.write(`gnet: ${summary.failed} run(s) failed (shown as failed in the results; rerunning the command retries them)\n`);
  return summary.failed + summary.stopped > 0 ? 1 : 0;
}

/**
 * A run whose node failed keeps the train.lock of a process on that node, which gnet train would
 * refuse. Slurm holds no task for the cell (it is not busy), so no process trains there: the lock goes.
 */
function freeForeignLock(job: CellJob): void {
  const path = join(job.dir, LOCK_FILE);
  if (!existsSync(path)) return;
  let holder: { pid?: number; host?: string };
  try {
    holder = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  if (holder.host === hostname()) return; // gnet train itself takes over a lock of a dead process on its host
  rmSync(path, { force: true });
  appendFileSync(join(job.dir, CELL_LOG), `\n== ${new Date().toISOString()} removed the lock of process ${holder.pid} on ${holder.host}: Slurm runs no task for this run any more\n`);
}
