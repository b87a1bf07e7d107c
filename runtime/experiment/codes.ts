import { GnetError } from '../errors.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/**
 * Stable codes of `gnet experiment`: each is refused before anything trains (GN1001–GN1006, GN1030), or
 * names a cell that failed (GN1010) in the results. Every message says how to fix it.
 */
export const EXPERIMENT_ERRORS = {
  /** --networks names a network that none of the files defines (or a name two files define). */
  unknownNetwork: 'GN1001',
  /** --train-size is not a list of positive integers and `all`, or a size exceeds the training pool. */
  badTrainSize: 'GN1002',
  /** --seeds is not a positive integer. */
  badSeeds: 'GN1003',
  /** The output directory holds another experiment (a different plan) and --resume was not given. */
  otherExperiment: 'GN1004',
  /** The data source has no test split to evaluate on, or the experiment has nothing to run. */
  badSetup: 'GN1005',
  /** --report was given a directory that holds no experiment. */
  notAnExperiment: 'GN1006',
  /** A section gives settings per training-set size, but not for a size that --train-size asks for. */
  sizeWithoutSetting: 'GN1030',
  /** A cell's training or evaluation process failed without a gnet error code of its own. */
  cellFailed: 'GN1010',
} as const satisfies Record<string, GnCode>;

export type ExperimentErrorCode = (typeof EXPERIMENT_ERRORS)[keyof typeof EXPERIMENT_ERRORS];

export function experimentError(code: ExperimentErrorCode, message: string): GnetError {
  return new GnetError(code, message);
}
