import { runSlurm } from './client.js';

/**
 * What Slurm says of a job's tasks: squeue for those it still holds (queued, running, and for
 * MinJobAge after they end, their end state), sacct for older ones where accounting is kept (it is
 * not without slurmdbd, and then sacct's silence is no answer). gnet keeps no daemon of its own.
 */
export interface TaskState {
  /** `12_3` for task 3 of array job 12; `12` for a job that is no array. */
  readonly id: string;
  /** Slurm's state name: PENDING, RUNNING, COMPLETED, TIMEOUT, PREEMPTED, NODE_FAIL, CANCELLED… */
  readonly state: string;
  /** squeue's reason (Priority, Resources, JobArrayTaskLimit…), or '' */
  readonly reason: string;
}

/** States of a task Slurm has not finished with: it will still run (or is running). */
const LIVE = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESIZING', 'SIGNALING', 'STAGE_OUT', 'STOPPED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
export const isLive = (state: string): boolean => LIVE.has(state);

/** The tasks of these jobs, by id; squeue's word wins over sacct's. */
export function taskStates(jobIds: readonly string[], env?: NodeJS.ProcessEnv): Map<string, TaskState> {
  const states = new Map<string, TaskState>();
  if (jobIds.length === 0) return states;
  for (const s of accountedStates(jobIds, env)) states.set(s.id, s);
  for (const s of queuedStates(jobIds, env)) states.set(s.id, s);
  return states;
}

function queuedStates(jobIds: readonly string[], env?: NodeJS.ProcessEnv): TaskState[] {
  const result = runSlurm('squeue', ['--noheader', '--array', '--states=all', `--jobs=${jobIds.join(',')}`, '--format=%F|%K|%T|%r'], env);
  // Jobs the controller has forgotten (older than MinJobAge) are "Invalid job id": none of them is queued.
  if (result.status !== 0) return [];
  return parseSqueue(result.stdout);
}

export function parseSqueue(text: string): TaskState[] {
  return text.split('\n').flatMap((line) => {
    const [job, task, state, reason] = line.trim().split('|');
    if (!job || !state) return [];
    return [{ id: task && task !== 'N/A' ? `${job}_${task}` : job, state, reason: reason === 'None' ? '' : (reason ?? '') }];
  });
}

function accountedStates(jobIds: readonly string[], env?: NodeJS.ProcessEnv): TaskState[] {
  let result;
  try {
    result = runSlurm('sacct', ['--noheader', '--parsable2', '--allocations', `--jobs=${jobIds.join(',')}`, '--format=JobID,State'], env);
  } catch {
    return []; // sacct talks to slurmdbd, not the controller: squeue decides whether Slurm is reachable.
  }
  return result.status === 0 ? parseSacct(result.stdout) : [];
}

/** `12_3|TIMEOUT`, `12_[4-6%2]|PENDING`, `13|CANCELLED by 0` → one state per task. */
export function parseSacct(text: string): TaskState[] {
  return text.split('\n').flatMap((line) => {
    const [id, stateText] = line.trim().split('|');
    if (!id || !stateText) return [];
    const state = stateText.split(' ')[0]!;
    const range = /^(\d+)_\[([\d,-]+)(%\d+)?\]$/.exec(id);
    if (!range) return [{ id, state, reason: '' }];
    return expandRanges(range[2]!).map((task) => ({ id: `${range[1]}_${task}`, state, reason: '' }));
  });
}

/** `0-2,5` → [0, 1, 2, 5]. */
export function expandRanges(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}
