import type { GnCode } from '../../compiler/diagnostics/codes.js';
import { GnetError } from '../errors.js';

/**
 * Stable codes of running gnet under Slurm (GN1020–GN1029, GN1040): refused submissions and unreachable
 * controllers stop the command before anything is submitted; the rest name why a Slurm task ended
 * before its work was done, in the results and in `gnet experiment --report`. Each says what to do.
 */
export const SLURM_ERRORS = {
  /** sbatch (or squeue, scontrol) is not on PATH. */
  noSlurm: 'GN1020',
  /** sbatch refused the job: an unknown partition, a time limit over the partition's, a bad option. */
  refused: 'GN1021',
  /** The controller did not answer (slurmctld down, munge down, a wrong SLURM_CONF). */
  unreachable: 'GN1022',
  /** A task was stopped at its time limit. */
  timeLimit: 'GN1023',
  /** A task was pre-empted by a job of higher priority. */
  preempted: 'GN1024',
  /** A task's node failed. */
  nodeFailed: 'GN1025',
  /** A task was cancelled (scancel), or ended by Slurm for another reason (out of memory, a deadline). */
  cancelled: 'GN1026',
  /** A task ended without finishing its work and without a gnet error of its own (see its output file). */
  taskEnded: 'GN1027',
  /** Slurm options that do not fit: given without --executor slurm, a malformed --sbatch-arg or --time. */
  badOptions: 'GN1028',
  /** Runs that a Slurm job is still training, asked for again by a local `gnet experiment`. */
  stillQueued: 'GN1029',
  /** A run directory that a job of `gnet train --executor slurm` still holds, asked to train again. */
  runHeld: 'GN1040',
} as const satisfies Record<string, GnCode>;

export type SlurmErrorCode = (typeof SLURM_ERRORS)[keyof typeof SLURM_ERRORS];

export const slurmError = (code: SlurmErrorCode, message: string): GnetError => new GnetError(code, message);
