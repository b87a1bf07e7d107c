import { GnetError } from '../errors.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/**
 * Stable codes of the training layer. GN07xx: the resolved training configuration (spec `train`
 * section and command-line flags); GN08xx: faults while training, evaluating, predicting or
 * exporting. Data-loading errors keep their own GN70xx codes (runtime/data/codes.ts).
 */
export const TRAIN_ERRORS = {
  /** A training setting, optimiser, loss or schedule argument that does not exist. */
  unknownSetting: 'GN0702',
  /** A setting whose value has the wrong type or is out of range. */
  badValue: 'GN0703',
  /** An optimiser, loss, metric or schedule name that does not exist. */
  unknownName: 'GN0704',
  /** A flag given with --resume that would change how the stopped run trains. */
  resumeConflict: 'GN0705',

  /** The run directory cannot be created or written (permissions, a file in the way, read-only disk). */
  unwritable: 'GN0801',
  /** The disk filled up while writing. */
  diskFull: 'GN0802',
  /** Training diverged: the loss or a weight became NaN or infinite (also: a run's saved weights are). */
  nonFiniteLoss: 'GN0803',
  /** --resume was given a checkpoint made from another network. */
  specMismatch: 'GN0804',
  /** A checkpoint or exported model that is missing, truncated or altered. */
  badCheckpoint: 'GN0805',
  /** The network's output cannot be trained with the chosen loss or data. */
  outputMismatch: 'GN0806',
  /** --out names a directory that already holds a run. */
  runExists: 'GN0807',
  /** An image given to `gnet predict` that cannot be read or does not fit the input. */
  badImage: 'GN0808',
  /** A run directory without the files a command needs. */
  notARun: 'GN0809',
  /** Another process is training in the run directory (its lock file names it). */
  runLocked: 'GN0810',

  /** The chosen backend cannot run a network on volumes (raised by backends/index.ts, which names the ones that can). */
  volumesUnsupported: 'GN0879',
} as const satisfies Record<string, GnCode>;

export type TrainErrorCode = (typeof TRAIN_ERRORS)[keyof typeof TRAIN_ERRORS];

export function trainError(code: TrainErrorCode, message: string): GnetError {
  return new GnetError(code, message);
}
