import type { Program } from '../program.js';
import type { Experiment } from './experiment.js';

export type { Experiment } from './experiment.js';
export { ALL_EXPERIMENT_KEYS, EXPERIMENT_BACKENDS, EXPERIMENT_KEYS, EXPERIMENT_METRICS, PER_SIZE_KEYS, SET_PER_RUN, TRAIN_KEYS } from './keys.js';

/**
 * The entry file's experiment sections, checked, as plain data. Read `program.diagnostics` first:
 * a value that failed its check is left out of its experiment.
 */
export function experimentsOf(program: Program): readonly Experiment[] {
  return program.experiments;
}
