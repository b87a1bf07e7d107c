/**
 * The keys of an `experiment { … }` section: its own (what to train and how often), and the keys of
 * a network's `train { … }` section, which override that section for every run of the experiment.
 * The compiler never imports the training runtime, so the train keys are listed here; a test keeps
 * this list equal to the runtime's.
 */

export interface ExperimentKey {
  readonly doc: string;
  /** How the value is written, for completion and hover. */
  readonly value: string;
}

export const EXPERIMENT_KEYS: Readonly<Record<string, ExperimentKey>> = {
  networks: { doc: 'the networks to train, by name (default: every network of the file)', value: '[NetA, NetB, …]' },
  data: { doc: "the data every run trains on (default: each network's train section)", value: '"fashion-mnist"' },
  train_sizes: { doc: 'the training-set sizes, each a number of images or `all`', value: '[1000, 5000, all]' },
  seeds: { doc: 'how many seeds each network and size is trained with (seeds 1..N)', value: 'a positive integer' },
  metric: { doc: 'the test metric the results table compares', value: 'accuracy | miou | dice | loss' },
  jobs: { doc: 'how many runs train at the same time', value: 'a positive integer' },
  backend: { doc: 'the backend every run trains on', value: 'auto | cuda | node | webgpu | torch | wasm | cpu' },
  workers: { doc: 'torch backend: processes per run', value: 'a positive integer' },
  out: { doc: 'the directory the runs and the results table are written to', value: '"runs/table1"' },
};

/** How a train key's value is checked here; its full check is the training layer's, when a run starts. */
export type TrainKeyKind = 'positive-int' | 'non-negative-int' | 'number' | 'bool' | 'any';

/** Every key of a `train { … }` section (as the training runtime reads them). */
export const TRAIN_KEYS: Readonly<Record<string, TrainKeyKind>> = {
  data: 'any',
  loss: 'any',
  optimizer: 'any',
  schedule: 'any',
  epochs: 'positive-int',
  batch: 'positive-int',
  seed: 'non-negative-int',
  metrics: 'any',
  weight_decay: 'number',
  clip_norm: 'number',
  clip_value: 'number',
  validation_split: 'number',
  train_size: 'positive-int',
  augment: 'bool',
  checkpoint_every: 'non-negative-int',
  keep_checkpoints: 'positive-int',
  keep_best: 'any',
  early_stop: 'positive-int',
  min_delta: 'number',
  patches: 'positive-int',
  foreground: 'number',
};

/** Train keys an experiment sets itself, run by run: written in an experiment they are errors that name the key to use. */
export const SET_PER_RUN: Readonly<Record<string, string>> = {
  seed: 'each run gets its own seed from `seeds`; write `seeds = N` for N seeds',
  train_size: 'each run gets its size from `train_sizes`; write `train_sizes = [1000, all]`',
};

/**
 * Train keys an experiment may give per training-set size (`epochs = { 1000: 60, 5000: 30 }`): how long
 * and how carefully each size trains. Not `validation_split`: the validation images are drawn once,
 * before the sizes, so that every size and network trains on the same pool.
 */
export const PER_SIZE_KEYS = ['epochs', 'early_stop', 'min_delta', 'batch', 'weight_decay', 'checkpoint_every'] as const;

/** Metrics a results table can compare (the validation metrics a run can watch). */
export const EXPERIMENT_METRICS = ['accuracy', 'miou', 'dice', 'loss'] as const;

/** `auto` and the backends gnet trains on. */
export const EXPERIMENT_BACKENDS = ['auto', 'cuda', 'node', 'webgpu', 'torch', 'wasm', 'cpu'] as const;

/** Every key an experiment section accepts, its own first. */
export const ALL_EXPERIMENT_KEYS: readonly string[] = [
  ...Object.keys(EXPERIMENT_KEYS),
  ...Object.keys(TRAIN_KEYS).filter((k) => !Object.hasOwn(EXPERIMENT_KEYS, k) && !Object.hasOwn(SET_PER_RUN, k)),
];
