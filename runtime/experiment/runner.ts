import { type CellJob, type CellOutcome, runCell } from './run-cell.js';
import { cellName } from './cells.js';

/**
 * Runs the cells still to do, up to `parallel` at a time, and prints a line per finished cell:
 * which one, i/N, its metric or its error, and the time left estimated from the cells finished so far.
 */
export interface RunOptions {
  readonly parallel: number;
  /** Cells in the whole grid, and how many of them were complete before this run. */
  readonly total: number;
  readonly alreadyDone: number;
  readonly metric: string;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  /** After each finished cell (the results files are rewritten, so a killed experiment still has them). */
  readonly onFinished?: () => void;
}

export interface RunSummary {
  readonly complete: number;
  readonly failed: number;
  readonly interrupted: number;
}

export async function runCells(jobs: readonly CellJob[], options: RunOptions): Promise<RunSummary> {
  const summary = { complete: 0, failed: 0, interrupted: 0 };
  const queue = [...jobs];
  const started = Date.now();
  let finished = options.alreadyDone;
  let finishedHere = 0;
  const worker = async () => {
    for (let job = queue.shift(); job && !options.signal?.aborted; job = queue.shift()) {
      const t0 = Date.now();
      options.log(`start ${cellName(job.cell)}`);
      const outcome = await runCell(job);
      if (outcome.status === 'interrupted') {
        summary.interrupted++;
        continue;
      }
      summary[outcome.status]++;
      finished++;
      finishedHere++;
      const left = options.total - finished;
      const perCell = (Date.now() - started) / finishedHere;
      const eta = left > 0 ? `; about ${duration((perCell * left) / 1000)} left` : '';
      options.onFinished?.();
      options.log(`[${finished}/${options.total}] ${cellName(job.cell)}: ${describe(outcome, options.metric)} (${duration((Date.now() - t0) / 1000)})${eta}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, jobs.length)) }, worker));
  return summary;
}

export function describe(outcome: Exclude<CellOutcome, { status: 'interrupted' }>, metric: string): string {
  if (outcome.status === 'failed') return `failed (${outcome.failure.code} ${outcome.failure.message})`;
  const value = outcome.test.metrics[metric];
  return typeof value === 'number' ? `${metric} ${value.toFixed(4)}` : `done (no ${metric} in test.json)`;
}

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
