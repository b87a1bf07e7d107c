import { setTimeout as delay } from 'node:timers/promises';
import { cellName, cellState } from './cells.js';
import { describe } from './runner.js';
import { type ArrayManifest } from './slurm-array.js';
import { schedulerView } from './slurm-state.js';

/**
 * `gnet experiment --executor slurm --wait`: follows a submitted array from the cells' files and
 * squeue, printing the lines a local run prints (a task starting, [i/N] and its value per finished
 * run) and a line per task Slurm stopped, until no task of the array is queued or running.
 */
export interface FollowOptions {
  readonly out: string;
  readonly total: number;
  readonly alreadyDone: number;
  readonly metric: string;
  readonly log: (line: string) => void;
  /** Between two looks at squeue and the files. */
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  /** After each finished run. */
  readonly onFinished?: () => void;
}

export interface FollowSummary {
  readonly complete: number;
  readonly failed: number;
  /** Tasks Slurm ended before their run was complete (resumed by submitting again). */
  readonly stopped: number;
}

export async function followArray(array: ArrayManifest, options: FollowOptions): Promise<FollowSummary> {
  const summary = { complete: 0, failed: 0, stopped: 0 };
  const waiting = new Map(array.tasks.map((task, index) => [task.dir, { task, index }]));
  const started = new Set<string>();
  const since = Date.parse(array.submittedAt);
  let finished = options.alreadyDone;
  let lastNote: string | undefined;
  while (waiting.size > 0 && !options.signal.aborted) {
    await delay(options.intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
    // Slurm first, the files second: a task seen ended has written whatever it was going to write.
    const view = schedulerView(options.out);
    if (view?.note !== lastNote && view?.note) options.log(`cannot ask Slurm (${view.note}); still following the runs' files`);
    lastNote = view?.note;
    for (const [dir, { task, index }] of waiting) {
      const id = `${array.jobId}_${index}`;
      const slurm = view?.tasks.get(dir);
      const mine = slurm?.id === id ? slurm : undefined;
      const state = cellState(dir);
      const failedNow = state.status === 'failed' && Date.parse(state.failure.failedAt) >= since;
      if (state.status === 'complete' || failedNow) {
        finished++;
        summary[state.status === 'complete' ? 'complete' : 'failed']++;
        waiting.delete(dir);
        options.onFinished?.();
        options.log(`[${finished}/${options.total}] ${cellName(task.cell)}: ${describe(state.status === 'complete' ? state : { status: 'failed', failure: state.failure }, options.metric)}`);
      } else if (mine?.status === 'running' && !started.has(dir)) {
        started.add(dir);
        options.log(`start ${cellName(task.cell)} (Slurm task ${id})`);
      } else if (mine?.status === 'ended' || (view && !view.note && !mine)) {
        summary.stopped++;
        waiting.delete(dir);
        options.onFinished?.();
        options.log(`${cellName(task.cell)}: ${mine?.end ? `${mine.end.code} ${mine.end.message}` : `Slurm no longer knows task ${id}`}`);
      }
    }
  }
  return summary;
}
