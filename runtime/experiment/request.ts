import type { TrainFlags } from '../train/config.js';
import { SLURM_ERRORS, slurmError } from '../slurm/codes.js';
import { type SlurmFlags, type SlurmRequest, slurmRequest } from '../slurm/options.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';

/**
 * Everything `gnet experiment` is asked to do, as one plain object. The command line builds it with
 * `requestFromFlags`; a spec's `experiment { … }` section can build the same object, the flags
 * overriding it, so both roads meet here.
 */

/** A training-set size: a number of images drawn from the training pool, or all of it. */
export type TrainSize = number | 'all';

/** The train-section overrides every cell gets (seed and size are the grid's, data the experiment's). */
export type CellTrainFlags = Omit<TrainFlags, 'seed' | 'trainSize' | 'data'>;

export interface ExperimentRequest {
  /** .gnet files, as given. */
  readonly files: readonly string[];
  /** Networks to compare, in this order; null: every network of every file. */
  readonly networks: readonly string[] | null;
  /** Data source for every cell; undefined: each spec's train.data. */
  readonly data?: string;
  readonly trainSizes: readonly TrainSize[];
  /** Seeds 1..seeds per (network, size). */
  readonly seeds: number;
  readonly train: CellTrainFlags;
  /**
   * Train flags given per training-set size (a section's `epochs = { 1000: 60, all: 10 }`), by size
   * as written (`1000`, `all`), over `train`; every size of `trainSizes` has its row. Empty: none.
   */
  readonly trainBySize: Readonly<Record<string, CellTrainFlags>>;
  readonly backend: string;
  /** torch backend: processes per cell, and where they run. */
  readonly workers?: number;
  readonly device?: string;
  /** torch backend: CPU threads per worker; undefined: the CPUs divided among the runs at a time. */
  readonly threads?: number;
  /** Cells trained at the same time. */
  readonly jobs: number;
  /** Where the cells train: here (undefined), or as one Slurm job array with these options. */
  readonly slurm?: SlurmRequest;
  /** Slurm: --jobs as given, the array's % throttle (undefined: as many at a time as Slurm allows). */
  readonly throttle?: number;
  /** Slurm: follow the array until it ends, printing a line per finished run, instead of returning once submitted. */
  readonly wait: boolean;
  /** The metric of the table; undefined: the first metric of the train section. */
  readonly metric?: string;
  readonly out: string;
  /** Continue an experiment whose plan changed, keeping the cells that still belong to it. */
  readonly resume: boolean;
}

/** The flags as commander hands them over (lists still text). */
export interface ExperimentFlags extends CellTrainFlags, SlurmFlags {
  readonly networks?: string;
  readonly data?: string;
  readonly trainSize?: string;
  readonly seeds?: string | number;
  readonly backend?: string;
  readonly workers?: number;
  readonly device?: string;
  readonly threads?: number;
  readonly jobs?: number;
  readonly metric?: string;
  readonly out?: string;
  readonly resume?: boolean;
  readonly wait?: boolean;
  /** From a section only: train flags per training-set size (size as written → flags). */
  readonly trainBySize?: Readonly<Record<string, CellTrainFlags>>;
}

export const DEFAULT_SEEDS = 3;
const OWN_FLAGS = new Set(['networks', 'data', 'trainSize', 'seeds', 'backend', 'workers', 'device', 'threads', 'jobs', 'metric', 'out', 'resume', 'report', 'executor', 'partition', 'time', 'gpusPerTask', 'cpusPerTask', 'sbatchArg', 'wait', 'trainBySize']);

/**
 * Flags → request; malformed sizes and seeds are refused here, before any file is read. `fromSpec`
 * holds what a spec's experiment section says, in the flags' shape; a flag given overrides it.
 */
export function requestFromFlags(files: readonly string[], given: ExperimentFlags, fromSpec: ExperimentFlags = {}): ExperimentRequest {
  const flags: ExperimentFlags = { ...fromSpec, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
  if (flags.out === undefined) throw experimentError(EXPERIMENT_ERRORS.badSetup, 'no output directory: pass --out DIR (every run, experiment.json and the results go there)');
  const slurm = slurmRequest(flags);
  if (flags.wait && !slurm) throw slurmError(SLURM_ERRORS.badOptions, '--wait follows a Slurm job array; add --executor slurm, or drop --wait (a local experiment always runs to its end)');
  const train = Object.fromEntries(Object.entries(flags).filter(([key, value]) => !OWN_FLAGS.has(key) && value !== undefined)) as CellTrainFlags;
  const trainSizes = flags.trainSize === undefined ? ['all' as const] : parseTrainSizes(flags.trainSize);
  return {
    files,
    networks: flags.networks === undefined ? null : parseNetworks(flags.networks),
    data: flags.data,
    trainSizes,
    seeds: flags.seeds === undefined ? DEFAULT_SEEDS : parseSeeds(String(flags.seeds)),
    train,
    trainBySize: perSize(fromSpec.trainBySize ?? {}, given, trainSizes),
    backend: flags.backend ?? 'auto',
    workers: flags.workers,
    device: flags.device,
    threads: flags.threads,
    jobs: flags.jobs ?? 1,
    slurm,
    throttle: flags.jobs,
    wait: flags.wait ?? false,
    metric: flags.metric,
    out: flags.out,
    resume: flags.resume ?? false,
  };
}

/**
 * A section's per-size rows for the sizes trained: a flag given (`--epochs 5`) holds for every size and
 * drops its key from the rows; a size with no row (sizes from --train-size) is refused (GN1030).
 */
function perSize(rows: Readonly<Record<string, CellTrainFlags>>, given: ExperimentFlags, sizes: readonly TrainSize[]): Record<string, CellTrainFlags> {
  const overridden = new Set(Object.entries(given).filter(([, value]) => value !== undefined).map(([key]) => key));
  const kept = Object.fromEntries(Object.entries(rows).map(([size, row]) => [size, Object.fromEntries(Object.entries(row).filter(([key]) => !overridden.has(key))) as CellTrainFlags]));
  const keys = [...new Set(Object.values(kept).flatMap((row) => Object.keys(row)))];
  if (keys.length === 0) return {};
  const missing = sizes.filter((size) => keys.some((key) => kept[String(size)]?.[key as keyof CellTrainFlags] === undefined));
  if (missing.length > 0) {
    const flags = keys.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw experimentError(EXPERIMENT_ERRORS.sizeWithoutSetting, `the experiment section gives ${keys.join(', ')} per training-set size, but not for size ${missing.join(', ')}; add ${missing.map((size) => `\`${size}: …\``).join(', ')} to the section's table, train only the sizes it lists (drop --train-size), or give one value for every size (${flags})`);
  }
  return Object.fromEntries(sizes.map((size) => [String(size), kept[String(size)]!]));
}

export function parseNetworks(text: string): string[] {
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw experimentError(EXPERIMENT_ERRORS.unknownNetwork, `--networks "${text}" names no network; list them comma-separated, e.g. --networks SmallNet,GaussNet`);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw experimentError(EXPERIMENT_ERRORS.unknownNetwork, `--networks names ${repeated} twice; list each network once`);
  return names;
}

/** "1000,5000,all" → [1000, 5000, 'all']; sorted ascending, `all` last, no repeats. */
export function parseTrainSizes(text: string): TrainSize[] {
  const items = text.split(',').map((s) => s.trim());
  const sizes = items.map((item): TrainSize => {
    if (item === 'all') return 'all';
    const n = /^\d+$/.test(item) ? Number(item) : NaN;
    if (!(Number.isSafeInteger(n) && n >= 1)) {
      throw experimentError(EXPERIMENT_ERRORS.badTrainSize, `--train-size "${text}": "${item}" is not a positive whole number or \`all\`; write sizes comma-separated, e.g. --train-size 1000,5000,all`);
    }
    return n;
  });
  const repeated = sizes.find((s, i) => sizes.indexOf(s) !== i);
  if (repeated !== undefined) throw experimentError(EXPERIMENT_ERRORS.badTrainSize, `--train-size "${text}" lists ${repeated} twice; list each size once`);
  return sortSizes(sizes);
}

export function sortSizes(sizes: readonly TrainSize[]): TrainSize[] {
  return [...sizes].sort((a, b) => (a === 'all' ? 1 : b === 'all' ? -1 : a - b));
}

export function parseSeeds(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n >= 1)) {
    throw experimentError(EXPERIMENT_ERRORS.badSeeds, `--seeds ${text}: the number of seeds must be a whole number ≥ 1 (seeds 1..N are trained for every network and size); e.g. --seeds 3`);
  }
  return n;
}

/** "n1000", "nall": the folder of a size, and how the tables name it. */
export const sizeLabel = (size: TrainSize): string => `n${size}`;
