import { existsSync, readFileSync } from 'node:fs';
import { GnetError } from '../errors.js';
import { type TaskState, isLive, taskStates } from '../slurm/queue.js';
import { type TaskEnd, taskEnd } from '../slurm/task-end.js';
import { type ArrayManifest, readArrays, taskOutput } from './slurm-array.js';

/**
 * What Slurm says of an experiment's cells, for the tables and for resubmitting: per cell directory,
 * the task of its latest submission, and whether that task is queued, running, or ended (with why,
 * task-end.ts). Read from DIR/slurm's manifests, squeue, sacct where it works, and the tasks' output
 * files; a cell's own files (test.json, failed.json) still decide whether it is complete or failed.
 */
export interface CellTask {
  /** `12_3`. */
  readonly id: string;
  readonly status: 'queued' | 'running' | 'ended';
  /** squeue's reason for a queued task (Priority, Resources, JobArrayTaskLimit…). */
  readonly reason: string;
  /** Why an ended task stopped (its cell's files say whether it finished its run). */
  readonly end?: TaskEnd;
}

export interface SchedulerView {
  readonly tasks: ReadonlyMap<string, CellTask>;
  /** Set when Slurm could not be asked (the tables then rest on the cells' files alone): why. */
  readonly note?: string;
  readonly unavailable?: GnetError;
}

/** Undefined when the experiment was never submitted to Slurm. */
export function schedulerView(out: string, env?: NodeJS.ProcessEnv): SchedulerView | undefined {
  const arrays = readArrays(out).filter((a) => a.jobId !== null);
  if (arrays.length === 0) return undefined;
  let states: Map<string, TaskState>;
  try {
    states = taskStates([...new Set(arrays.map((a) => a.jobId!))], env);
  } catch (error) {
    if (!(error instanceof GnetError)) throw error;
    return { tasks: new Map(), note: `${error.code}: ${error.message.replace(/^GN\d+: /, '')}`, unavailable: error };
  }
  const tasks = new Map<string, CellTask>();
  for (const { array, index } of latestTasks(arrays).values()) {
    const id = `${array.jobId}_${index}`;
    const state = states.get(id);
    if (state && isLive(state.state)) {
      tasks.set(array.tasks[index]!.dir, { id, status: state.state === 'PENDING' ? 'queued' : 'running', reason: state.reason });
      continue;
    }
    const outputPath = taskOutput(out, array.index, index);
    const output = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : undefined;
    tasks.set(array.tasks[index]!.dir, { id, status: 'ended', reason: '', end: taskEnd({ id, state: state?.state, outputPath, output }) });
  }
  return { tasks };
}

/** Per cell directory, the task of the newest submission that holds it. */
function latestTasks(arrays: readonly ArrayManifest[]): Map<string, { array: ArrayManifest; index: number }> {
  const latest = new Map<string, { array: ArrayManifest; index: number }>();
  for (const array of arrays) array.tasks.forEach((task, index) => latest.set(task.dir, { array, index }));
  return latest;
}

/** Cell directories whose task Slurm still holds (queued or running): not to be trained again meanwhile. */
export function busyCells(view: SchedulerView | undefined): Set<string> {
  return new Set([...(view?.tasks ?? [])].filter(([, t]) => t.status !== 'ended').map(([dir]) => dir));
}
