import { SLURM_ERRORS, type SlurmErrorCode } from './codes.js';

/**
 * Why a Slurm task ended before its work was done, from Slurm's state for it when squeue or sacct
 * still knows it, else from the line slurmstepd writes into the task's output file
 * (`*** JOB 14 ON node3 CANCELLED AT 2026-01-05T10:00:00 DUE TO TIME LIMIT ***`). Every cause is
 * resumable: the message says what to change, if anything, before submitting again.
 */
export interface TaskEnd {
  readonly code: SlurmErrorCode;
  readonly message: string;
}

export interface EndedTask {
  /** `12_3`. */
  readonly id: string;
  /** Slurm's end state, when squeue or sacct still knows the task. */
  readonly state?: string;
  /** The task's output file and its text; undefined when the task never started (no file). */
  readonly outputPath: string;
  readonly output?: string;
}

const AGAIN = 'submit again (the same command) and the run resumes from its last checkpoint';
/** A task that never started has no checkpoint to resume from. */
const AGAIN_FRESH = 'submit again (the same command) and the run starts from epoch 1';

export function taskEnd(task: EndedTask): TaskEnd {
  const cause = task.state ?? stepdCause(task.output ?? '');
  const t = `Slurm task ${task.id}`;
  switch (cause) {
    case 'TIMEOUT':
      return { code: SLURM_ERRORS.timeLimit, message: `${t} reached its time limit; ${AGAIN}, with a longer --time` };
    case 'PREEMPTED':
      return { code: SLURM_ERRORS.preempted, message: `${t} was pre-empted by a job of higher priority; ${AGAIN} (or pass --sbatch-arg=--requeue so Slurm requeues it)` };
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return { code: SLURM_ERRORS.nodeFailed, message: `the node of ${t} failed (${cause}); ${AGAIN}, on another node` };
    case 'OUT_OF_MEMORY':
      return { code: SLURM_ERRORS.cancelled, message: `${t} ran out of memory (OUT_OF_MEMORY); ${AGAIN}, with more memory (--sbatch-arg=--mem=16G)` };
    case 'CANCELLED':
    case 'DEADLINE':
      return { code: SLURM_ERRORS.cancelled, message: `${t} was ${cause === 'DEADLINE' ? 'ended at its deadline' : 'cancelled'}${task.output === undefined ? ` before it started; ${AGAIN_FRESH}` : `; ${AGAIN}`}` };
  }
  if (task.output === undefined) return { code: SLURM_ERRORS.cancelled, message: `${t} ended before it started (cancelled while queued?); ${AGAIN_FRESH}` };
  const state = task.state ? ` (${task.state})` : '';
  return { code: SLURM_ERRORS.taskEnded, message: `${t} ended without finishing its run${state}; see ${task.outputPath}, fix what it says, and ${AGAIN}` };
}

/** The end state slurmstepd announced in the task's output, if it did. */
export function stepdCause(output: string): string | undefined {
  const line = /\*\*\* (JOB|STEP) \S+ ON \S+ CANCELLED AT \S+(.*?)\*\*\*/.exec(output);
  if (line) {
    const why = line[2]!;
    if (/TIME LIMIT/.test(why)) return 'TIMEOUT';
    if (/PREEMPTION/.test(why)) return 'PREEMPTED';
    if (/NODE FAIL/.test(why)) return 'NODE_FAIL';
    return 'CANCELLED';
  }
  if (/oom[-_]kill event/i.test(output)) return 'OUT_OF_MEMORY';
  return undefined;
}
