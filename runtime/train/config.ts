import { TRAIN_ERRORS, trainError } from './codes.js';
import { WATCHABLE, type WatchedMetric } from './watch.js';
import {
  asList, badValue, readArgs, readBool, readCall, readNumber, readPositiveInt, readString, unknownKey, unknownName, type SectionValue,
} from './config-values.js';
import { parseFlagCall, parseFlagList } from './flag-values.js';

/**
 * The training configuration: the spec's `train { … }` section, overridden by command-line flags,
 * completed with defaults. Every key and every name is checked; an error lists the valid ones.
 */

export const LOSSES = ['crossentropy', 'binary_crossentropy', 'dice'] as const;
export type LossKind = (typeof LOSSES)[number];

/** One term of the (weighted) loss; `output` null means the network's first output. */
export interface LossTerm {
  readonly kind: LossKind;
  readonly output: string | null;
  readonly weight: number;
  /** Dice only: added to numerator and denominator so empty masks give a defined loss. */
  readonly smooth: number;
}

/** Each optimiser's arguments with their defaults (Keras' defaults; epsilon as Keras, 1e-7). */
export const OPTIMIZERS = {
  sgd: { lr: 0.01, momentum: 0, nesterov: false },
  rmsprop: { lr: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  adagrad: { lr: 0.01, initial_accumulator: 0.1 },
  adadelta: { lr: 1, rho: 0.95, epsilon: 1e-7 },
} as const;
export type OptimizerName = keyof typeof OPTIMIZERS;
type Widen<T> = { -readonly [K in keyof T]: T[K] extends boolean ? boolean : number };
export type OptimizerConfig = { [N in OptimizerName]: { readonly name: N } & Readonly<Widen<(typeof OPTIMIZERS)[N]>> }[OptimizerName];

export type ScheduleConfig =
  | { readonly kind: 'constant' }
  /** lr · factor^⌊epoch / every⌋. */
  | { readonly kind: 'step'; readonly every: number; readonly factor: number }
  /** Cosine decay from lr to α·lr over `steps` optimiser steps (null: the whole run), then flat. */
  | { readonly kind: 'cosine'; readonly alpha: number; readonly steps: number | null }
  /** The rule as the Gaussian-layer paper prints it (starts at (2 − α)·lr, rises again after steps / 2). */
  | { readonly kind: 'cosine_paper'; readonly alpha: number; readonly steps: number | null };
export const SCHEDULES = ['constant', 'step', 'cosine', 'cosine_paper'] as const;

export const METRICS = ['accuracy', 'iou', 'miou', 'dice'] as const;
export type MetricName = (typeof METRICS)[number];

export interface TrainConfig {
  readonly data: string;
  readonly loss: readonly LossTerm[];
  readonly optimizer: OptimizerConfig;
  readonly schedule: ScheduleConfig;
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  readonly metrics: readonly MetricName[];
  /** L2 weight decay added to the gradient of every kernel-like weight. */
  readonly weightDecay: number;
  /** Rescale all gradients together when their global norm exceeds this. */
  readonly clipNorm: number | null;
  /** Clamp every gradient element to ±this. */
  readonly clipValue: number | null;
  /** Share of the training pool held out for validation (0.25: Fashion-MNIST's 60 000 → 45 000 + 15 000). */
  readonly validationSplit: number;
  readonly trainSize: number | null;
  readonly augment: boolean;
  /** Also checkpoint every this many steps (0: only at the end of each epoch). */
  readonly checkpointEvery: number;
  /** How many of the newest checkpoints to keep (the best one is kept besides). */
  readonly keepCheckpoints: number;
  /** The watched metric: which checkpoint is the best, and what early stopping waits on. */
  readonly keepBest: WatchedMetric;
  /** Stop after this many epochs without an improvement of the watched metric (null: never). */
  readonly earlyStop: number | null;
  /** The least change of the watched metric that counts as an improvement. */
  readonly minDelta: number;
  /** Volumes: patches cut from each training volume per epoch. */
  readonly patches: number;
  /** Volumes: share of patches centred on a foreground voxel (class-balanced sampling; 0: uniform). */
  readonly foreground: number;
}

/** Command-line flags that override the section (undefined: not given). */
export interface TrainFlags {
  readonly data?: string;
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly optimizer?: string;
  readonly seed?: number;
  readonly trainSize?: number;
  readonly checkpointEvery?: number;
  /** As in the section: `cosine(alpha = 0.1)`. */
  readonly schedule?: string;
  /** Comma-separated: `accuracy,miou`. */
  readonly metrics?: string;
  /** As in the section, a list comma-separated: `crossentropy, dice(weight = 0.5)`. */
  readonly loss?: string;
  readonly validationSplit?: number;
  readonly augment?: boolean;
  readonly weightDecay?: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly keepCheckpoints?: number;
  readonly keepBest?: string;
  readonly earlyStop?: number;
  readonly minDelta?: number;
  readonly patches?: number;
  readonly foreground?: number;
}

/** The checkpoint, early-stopping and patch settings of a run whose config.json predates them. */
const WATCH_DEFAULTS = { keepCheckpoints: 2, earlyStop: null, minDelta: 0, patches: 4, foreground: 0.33 } as const;

export const DEFAULTS: Omit<TrainConfig, 'data' | 'keepBest'> = {
  loss: [{ kind: 'crossentropy', output: null, weight: 1, smooth: 1 }],
  optimizer: { name: 'adam', ...OPTIMIZERS.adam },
  schedule: { kind: 'constant' },
  epochs: 10,
  batch: 32,
  seed: 1,
  metrics: ['accuracy'],
  weightDecay: 0,
  clipNorm: null,
  clipValue: null,
  validationSplit: 0.25,
  trainSize: null,
  augment: false,
  checkpointEvery: 0,
  ...WATCH_DEFAULTS,
};

const positive = (v: SectionValue, w: string) => readNumber(v, w, { min: 0, minExclusive: true });
const nonNegative = (v: SectionValue, w: string) => readNumber(v, w, { min: 0 });
const nonNegativeInt = (v: SectionValue, w: string) => readNumber(v, w, { min: 0, integer: true });

/** Spec key → how to read it into the config. */
const SETTINGS: Readonly<Record<string, (value: SectionValue, where: string) => Partial<TrainConfig>>> = {
  data: (v, w) => ({ data: readString(v, w) }),
  loss: (v, w) => ({ loss: readLoss(v, w) }),
  optimizer: (v, w) => ({ optimizer: readOptimizer(v, w) }),
  schedule: (v, w) => ({ schedule: readSchedule(v, w) }),
  epochs: (v, w) => ({ epochs: readPositiveInt(v, w) }),
  batch: (v, w) => ({ batch: readPositiveInt(v, w) }),
  seed: (v, w) => ({ seed: nonNegativeInt(v, w) }),
  metrics: (v, w) => ({ metrics: asList(v).map((m) => readMetric(m, w)) }),
  weight_decay: (v, w) => ({ weightDecay: nonNegative(v, w) }),
  clip_norm: (v, w) => ({ clipNorm: positive(v, w) }),
  clip_value: (v, w) => ({ clipValue: positive(v, w) }),
  validation_split: (v, w) => ({ validationSplit: readNumber(v, w, { min: 0, max: 1, maxExclusive: true }) }),
  train_size: (v, w) => ({ trainSize: readPositiveInt(v, w) }),
  augment: (v, w) => ({ augment: readBool(v, w) }),
  checkpoint_every: (v, w) => ({ checkpointEvery: nonNegativeInt(v, w) }),
  keep_checkpoints: (v, w) => ({ keepCheckpoints: readPositiveInt(v, w) }),
  keep_best: (v, w) => ({ keepBest: readWatched(v, w) }),
  early_stop: (v, w) => ({ earlyStop: readPositiveInt(v, w) }),
  min_delta: (v, w) => ({ minDelta: nonNegative(v, w) }),
  patches: (v, w) => ({ patches: readPositiveInt(v, w) }),
  foreground: (v, w) => ({ foreground: readNumber(v, w, { min: 0, max: 1 }) }),
};
export const SETTING_NAMES = Object.keys(SETTINGS);

/** Section, then flags, then defaults; `network` names the section in messages. */
export function resolveConfig(section: Readonly<Record<string, SectionValue>> | null, flags: TrainFlags, network: string): TrainConfig {
  const fromSection: Partial<{ -readonly [K in keyof TrainConfig]: TrainConfig[K] }> = {};
  for (const [key, value] of Object.entries(section ?? {})) {
    const read = Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
    if (!read) throw unknownKey(`train section of network ${network}`, key, SETTING_NAMES);
    Object.assign(fromSection, read(value, `train.${key} of network ${network}`));
  }
  const merged = { ...DEFAULTS, ...fromSection, ...definedFlags(flags) };
  if (merged.data === undefined) {
    throw trainError(TRAIN_ERRORS.badValue, `no training data for network ${network}: set \`data = "…"\` in its train section or pass --data (e.g. --data fashion-mnist)`);
  }
  const keepBest = checkWatched(merged.keepBest ?? defaultWatched(merged.metrics), merged.metrics, merged.keepBest === fromSection.keepBest ? `train.keep_best of network ${network}` : '--keep-best');
  return { ...merged, data: merged.data, optimizer: flagOptimizer(merged.optimizer, flags), keepBest };
}

/** The first metric of the run that is one number (iou is one per class), else the loss. */
const defaultWatched = (metrics: readonly MetricName[]): WatchedMetric => metrics.find((m): m is Exclude<MetricName, 'iou'> => m !== 'iou') ?? 'loss';

function readWatched(value: SectionValue, where: string): WatchedMetric {
  const name = readString(value, where);
  if ((WATCHABLE as readonly string[]).includes(name)) return name as WatchedMetric;
  if (name === 'iou') throw trainError(TRAIN_ERRORS.badValue, `${where}: iou is one value per class; watch its mean, miou`);
  throw unknownName(where, 'metric to watch', name, WATCHABLE);
}

/** A watched metric must be one the run computes. */
function checkWatched(metric: WatchedMetric, metrics: readonly MetricName[], where: string): WatchedMetric {
  if (metric === 'loss' || metrics.includes(metric)) return metric;
  const computed = ['loss', ...metrics.filter((m) => m !== 'iou')].join(', ');
  throw trainError(TRAIN_ERRORS.badValue, `${where}: ${metric} is not among the metrics of this run (${computed}); watch one of those, or add ${metric} to the train section's metrics`);
}

function definedFlags(flags: TrainFlags): Partial<TrainConfig> {
  const out: Record<string, unknown> = {};
  if (flags.data !== undefined) out.data = readString(flags.data, '--data');
  if (flags.epochs !== undefined) out.epochs = readPositiveInt(flags.epochs, '--epochs');
  if (flags.batch !== undefined) out.batch = readPositiveInt(flags.batch, '--batch');
  if (flags.seed !== undefined) out.seed = nonNegativeInt(flags.seed, '--seed');
  if (flags.trainSize !== undefined) out.trainSize = readPositiveInt(flags.trainSize, '--train-size');
  if (flags.checkpointEvery !== undefined) out.checkpointEvery = nonNegativeInt(flags.checkpointEvery, '--checkpoint-every');
  if (flags.schedule !== undefined) out.schedule = readSchedule(parseFlagCall(flags.schedule, '--schedule'), '--schedule');
  if (flags.metrics !== undefined) out.metrics = parseFlagList(flags.metrics, '--metrics').map((m) => readMetric(m, '--metrics'));
  if (flags.loss !== undefined) out.loss = readLoss(parseFlagList(flags.loss, '--loss'), '--loss');
  if (flags.validationSplit !== undefined) out.validationSplit = readNumber(flags.validationSplit, '--validation-split', { min: 0, max: 1, maxExclusive: true });
  if (flags.augment !== undefined) out.augment = readBool(flags.augment, '--augment');
  if (flags.weightDecay !== undefined) out.weightDecay = nonNegative(flags.weightDecay, '--weight-decay');
  if (flags.clipNorm !== undefined) out.clipNorm = positive(flags.clipNorm, '--clip-norm');
  if (flags.clipValue !== undefined) out.clipValue = positive(flags.clipValue, '--clip-value');
  if (flags.keepCheckpoints !== undefined) out.keepCheckpoints = readPositiveInt(flags.keepCheckpoints, '--keep-checkpoints');
  if (flags.keepBest !== undefined) out.keepBest = readWatched(flags.keepBest, '--keep-best');
  if (flags.earlyStop !== undefined) out.earlyStop = readPositiveInt(flags.earlyStop, '--early-stop');
  if (flags.minDelta !== undefined) out.minDelta = nonNegative(flags.minDelta, '--min-delta');
  if (flags.patches !== undefined) out.patches = readPositiveInt(flags.patches, '--patches');
  if (flags.foreground !== undefined) out.foreground = readNumber(flags.foreground, '--foreground', { min: 0, max: 1 });
  return out as Partial<TrainConfig>;
}

/** --optimizer NAME starts from NAME's defaults unless it names the section's optimiser; --lr then sets the rate. */
function flagOptimizer(fromSection: OptimizerConfig, flags: TrainFlags): OptimizerConfig {
  const name = flags.optimizer === undefined ? fromSection.name : readOptimizerName(flags.optimizer, '--optimizer');
  const base = name === fromSection.name ? fromSection : ({ name, ...OPTIMIZERS[name] } as OptimizerConfig);
  return flags.lr === undefined ? base : { ...base, lr: positive(flags.lr, '--lr') };
}

const fraction = (v: SectionValue, w: string) => readNumber(v, w, { min: 0, max: 1, maxExclusive: true });

/** How each optimiser argument is read (decay rates are fractions in [0, 1)). */
const OPTIMIZER_ARGS: Readonly<Record<string, (value: SectionValue, where: string) => number | boolean>> = {
  lr: positive,
  momentum: fraction,
  nesterov: readBool,
  rho: fraction,
  epsilon: positive,
  centered: readBool,
  beta1: fraction,
  beta2: fraction,
  initial_accumulator: nonNegative,
};

function readOptimizerName(value: SectionValue, where: string): OptimizerName {
  const name = readString(value, where);
  if (Object.hasOwn(OPTIMIZERS, name)) return name as OptimizerName;
  throw unknownName(where, 'optimizer', name, Object.keys(OPTIMIZERS));
}

function readOptimizer(value: SectionValue, where: string): OptimizerConfig {
  const call = readCall(value, where);
  const name = readOptimizerName(call.name, where);
  const defaults: Record<string, number | boolean> = OPTIMIZERS[name];
  const readers = Object.fromEntries(Object.keys(defaults).map((key) => [key, OPTIMIZER_ARGS[key]!]));
  return { name, ...readArgs(call.args, `${where} ${name}`, readers, defaults) } as OptimizerConfig;
}

function readLoss(value: SectionValue, where: string): LossTerm[] {
  const terms = asList(value).map((item) => {
    const call = readCall(item, where);
    const kind = call.name === 'bce' ? 'binary_crossentropy' : call.name;
    if (!(LOSSES as readonly string[]).includes(kind)) throw unknownName(where, 'loss', call.name, LOSSES);
    // `on` names the output (`output` is a keyword of the language): crossentropy(on = "aux", weight = 0.3).
    const readers = { on: readString, weight: positive, ...(kind === 'dice' ? { smooth: nonNegative } : {}) };
    const { on, ...args } = readArgs<{ on: string | null; weight: number; smooth: number }>(call.args, `${where} ${kind}`, readers, { on: null, weight: 1, smooth: 1 });
    return { kind: kind as LossKind, output: on, ...args };
  });
  if (terms.length === 0) throw badValue(where, 'a loss or a list of losses', value);
  return terms;
}

function readSchedule(value: SectionValue, where: string): ScheduleConfig {
  const call = readCall(value, where);
  switch (call.name) {
    case 'constant':
      return { kind: 'constant', ...readArgs(call.args, `${where} constant`, {}, {}) };
    case 'step':
      return { kind: 'step', ...readArgs(call.args, `${where} step`, { every: readPositiveInt, factor: positive }, { every: 10, factor: 0.1 }) };
    case 'cosine':
    case 'cosine_paper':
      return { kind: call.name, ...readArgs<{ alpha: number; steps: number | null }>(call.args, `${where} ${call.name}`, { alpha: (v, w) => readNumber(v, w, { min: 0, max: 1 }), steps: readPositiveInt }, { alpha: 0, steps: null }) };
    default:
      throw unknownName(where, 'schedule', call.name, SCHEDULES);
  }
}

function readMetric(value: SectionValue, where: string): MetricName {
  const name = readString(value, where);
  if ((METRICS as readonly string[]).includes(name)) return name as MetricName;
  throw unknownName(where, 'metric', name, METRICS);
}

/**
 * On --resume the saved configuration holds, so the run continues exactly; --epochs may change how
 * far it goes, --checkpoint-every how often it saves, and the checkpoint-keeping and early-stopping
 * flags what it keeps and when it stops. A flag that would change anything else is refused.
 */
export function resumeConfig(saved: TrainConfig, flags: TrainFlags, runDir: string): TrainConfig {
  const fixed: [keyof TrainFlags, string, unknown, unknown][] = [
    ['data', '--data', flags.data, saved.data],
    ['batch', '--batch', flags.batch, saved.batch],
    ['seed', '--seed', flags.seed, saved.seed],
    ['lr', '--lr', flags.lr, saved.optimizer.lr],
    ['optimizer', '--optimizer', flags.optimizer, saved.optimizer.name],
    ['trainSize', '--train-size', flags.trainSize, saved.trainSize],
  ];
  for (const [, flag, given, was] of fixed) {
    if (given !== undefined && given !== was) {
      throw trainError(TRAIN_ERRORS.resumeConflict, `${flag} ${given} differs from the ${was} that ${runDir} was trained with; drop ${flag} to resume, or start a new run with another --out`);
    }
  }
  const parsed = definedFlags({ schedule: flags.schedule, metrics: flags.metrics, loss: flags.loss, validationSplit: flags.validationSplit, augment: flags.augment, weightDecay: flags.weightDecay, clipNorm: flags.clipNorm, clipValue: flags.clipValue, patches: flags.patches, foreground: flags.foreground });
  for (const [key, value] of Object.entries(parsed) as [keyof TrainConfig, unknown][]) {
    if (JSON.stringify(value) === JSON.stringify(saved[key])) continue;
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw trainError(TRAIN_ERRORS.resumeConflict, `${flag} differs from the ${JSON.stringify(saved[key])} that ${runDir} was trained with; drop ${flag} to resume, or start a new run with another --out`);
  }
  const { epochs, checkpointEvery, keepCheckpoints, keepBest, earlyStop, minDelta } = flags;
  const merged = { ...WATCH_DEFAULTS, ...saved, ...definedFlags({ epochs, checkpointEvery, keepCheckpoints, keepBest, earlyStop, minDelta }) };
  return { ...merged, keepBest: checkWatched(merged.keepBest ?? defaultWatched(saved.metrics), saved.metrics, '--keep-best') };
}
