import { DATA_ERRORS, dataError } from './codes.js';
import { checkInputFits, makeDataset } from './dataset.js';
import { loadFolder } from './folder.js';
import type { PatchSampling } from './patches.js';
import { type VolumeSamples, openVolumes, volumeMismatch } from './source-volumes.js';
import { holdsVolumes } from './volume-folder.js';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, type IdxFolder, hasTestSplit, loadIdxSplit } from './mnist.js';
import { type SubsetStrategy, splitSamples } from './split.js';
import { SYNTHETIC_CELLS_SEED, generateCellsStore } from './synthetic-cells.js';
import type { Dataset, ImageShape, InputShape, SampleStore, Task, VolumeShape } from './types.js';

export type DataSource =
  | { readonly kind: 'fashion-mnist'; readonly dir?: string }
  | { readonly kind: 'mnist'; readonly dir: string }
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'synthetic-cells'; readonly count: number }
  | { readonly kind: 'synthetic-volumes'; readonly count: number };

export const DATA_SOURCE_FORMS = ['fashion-mnist[:DIR]', 'mnist:DIR', 'folder:DIR', 'synthetic-cells[:N]', 'synthetic-volumes[:N]'] as const;
export const SYNTHETIC_CELLS_DEFAULT_COUNT = 1000;
export const SYNTHETIC_VOLUMES_DEFAULT_COUNT = 40;

/** Parses `--data` / `train { data = "…" }`. Only the first `:` separates, so DIR may contain colons. */
export function parseDataSource(spec: string): DataSource {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const argument = colon < 0 ? undefined : spec.slice(colon + 1);
  const needsDir = (form: string) => {
    if (!argument) throw dataError(DATA_ERRORS.unknownSource, `data source "${spec}" needs a folder: ${form}`);
    return argument;
  };
  switch (kind) {
    case 'fashion-mnist':
      return argument ? { kind, dir: argument } : { kind };
    case 'mnist':
      return { kind, dir: needsDir('mnist:DIR') };
    case 'folder':
      return { kind, dir: needsDir('folder:DIR') };
    case 'synthetic-cells':
      return { kind, count: argument === undefined ? SYNTHETIC_CELLS_DEFAULT_COUNT : parseCount(argument, spec) };
    case 'synthetic-volumes':
      return { kind, count: argument === undefined ? SYNTHETIC_VOLUMES_DEFAULT_COUNT : parseCount(argument, spec) };
    default:
      throw dataError(DATA_ERRORS.unknownSource, `unknown data source "${spec}"; valid forms: ${DATA_SOURCE_FORMS.join(', ')}`);
  }
}

function parseCount(text: string, spec: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1)) throw dataError(DATA_ERRORS.unknownSource, `"${spec}": the number of samples must be a positive integer, as in synthetic-cells:2000 or synthetic-volumes:40`);
  return count;
}

export interface OpenOptions {
  /** Network input [H, W, C]: images are padded (centred, zeros) or cropped to it; [D, H, W, C]: the patch cut from volumes. */
  readonly inputShape: InputShape;
  /** How patches are drawn from training volumes (volume inputs only). */
  readonly sampling?: PatchSampling;
  readonly classes: number;
  readonly task: Task;
  /** Training images drawn from what validation leaves; stratified by class for classification. */
  readonly trainSize?: number;
  /** Share of the training pool held out for validation. */
  readonly validationSplit?: number;
  readonly seed: number;
}

export interface DataInfo {
  /** Human-readable origin, e.g. "Fashion-MNIST (/usr/share/datasets/fashion-mnist)". */
  readonly source: string;
  readonly task: Task;
  readonly classes: number;
  readonly classNames?: readonly string[];
  /** Samples in the training pool before any split. */
  readonly count: number;
  readonly trainCount: number;
  readonly validationCount: number;
  readonly testCount: number;
  /** Of the first sample (volumes may differ in size). */
  readonly imageShape: InputShape;
  readonly inputShape: InputShape;
  readonly subset: SubsetStrategy;
  /** Volumes only: how training patches are drawn. */
  readonly sampling?: PatchSampling;
}

/** The decoded images and the split's indices, for a trainer in another process (the torch backend). */
export interface ImageSamples {
  readonly kind: 'images';
  readonly pool: SampleStore;
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test?: SampleStore;
}

export interface OpenedData {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test?: Dataset;
  readonly info: DataInfo;
  /** The decoded pool and the split's indices, for a trainer in another process (the torch backend). */
  readonly samples: ImageSamples | VolumeSamples;
}

interface Loaded {
  readonly name: string;
  readonly pool: SampleStore;
  readonly test?: SampleStore;
  readonly classNames?: readonly string[];
}

/** The default patch sampling: 4 patches per volume and epoch, a third of them centred on foreground. */
export const DEFAULT_SAMPLING: PatchSampling = { perVolume: 4, foreground: 0.33 };

export function openDataset(source: DataSource, options: OpenOptions): OpenedData {
  const onVolumes = options.inputShape.length === 4;
  const volumeSource = source.kind === 'synthetic-volumes' || (source.kind === 'folder' && holdsVolumes(source.dir));
  if (onVolumes !== volumeSource) throw volumeMismatch(describeSource(source), onVolumes);
  if (source.kind === 'synthetic-volumes' || source.kind === 'folder' && onVolumes) return openVolumeDataset(source, options);
  const imageOptions = { ...options, inputShape: options.inputShape as ImageShape };
  const loaded = load(source, imageOptions);
  const { pool, test } = loaded;
  for (const store of [pool, test]) if (store) checkInputFits(store, imageOptions.inputShape, loaded.name);
  const split = splitSamples({
    count: pool.count,
    classOf: pool.task === 'classification' ? pool.labels : undefined,
    validationSplit: options.validationSplit,
    trainSize: options.trainSize,
    seed: options.seed,
  });
  const everything = (store: SampleStore) => Int32Array.from({ length: store.count }, (_, i) => i);
  return {
    train: makeDataset(pool, split.train, imageOptions.inputShape),
    validation: makeDataset(pool, split.validation, imageOptions.inputShape),
    test: test && makeDataset(test, everything(test), imageOptions.inputShape),
    info: {
      source: loaded.name,
      task: options.task,
      classes: options.classes,
      classNames: loaded.classNames,
      count: pool.count,
      trainCount: split.train.length,
      validationCount: split.validation.length,
      testCount: test?.count ?? 0,
      imageShape: pool.imageShape,
      inputShape: options.inputShape,
      subset: split.strategy,
    },
    samples: { kind: 'images', pool, train: split.train, validation: split.validation, test },
  };
}

function openVolumeDataset(source: Extract<DataSource, { kind: 'folder' | 'synthetic-volumes' }>, options: OpenOptions): OpenedData {
  requireTask(options.task, 'segmentation', source.kind === 'folder' ? 'a volume folder' : source.kind);
  const patch = options.inputShape as VolumeShape;
  const sampling = options.sampling ?? DEFAULT_SAMPLING;
  const opened = openVolumes(source, { patch, classes: options.classes, sampling, trainSize: options.trainSize, validationSplit: options.validationSplit, seed: options.seed });
  return {
    train: opened.train,
    validation: opened.validation,
    test: opened.test,
    info: {
      source: opened.name,
      task: 'segmentation',
      classes: options.classes,
      count: opened.counts.pool,
      trainCount: opened.counts.train,
      validationCount: opened.counts.validation,
      testCount: opened.counts.test,
      imageShape: opened.samples.pool.volumes[0]!.shape,
      inputShape: patch,
      subset: 'random',
      sampling,
    },
    samples: opened.samples,
  };
}

function describeSource(source: DataSource): string {
  return 'dir' in source && source.dir !== undefined ? `${source.kind}:${source.dir}` : source.kind;
}

function load(source: Exclude<DataSource, { kind: 'synthetic-volumes' }>, options: OpenOptions & { readonly inputShape: ImageShape }): Loaded {
  const { task, classes, inputShape } = options;
  switch (source.kind) {
    case 'fashion-mnist': {
      requireTask(task, 'classification', 'fashion-mnist');
      const dir = source.dir ?? process.env[FASHION_MNIST_ENV] ?? FASHION_MNIST_DEFAULT_DIR;
      const hint = `install the Debian package dataset-fashion-mnist, or point ${FASHION_MNIST_ENV} (or --data fashion-mnist:DIR) at a folder with the IDX files`;
      return { ...loadIdxFolder({ name: 'Fashion-MNIST', dir, hint }, classes), classNames: FASHION_MNIST_CLASS_NAMES };
    }
    case 'mnist':
      requireTask(task, 'classification', 'mnist');
      return loadIdxFolder({ name: 'MNIST', dir: source.dir, hint: 'check the folder given in mnist:DIR' }, classes);
    case 'folder': {
      const data = loadFolder(source.dir, task, classes, inputShape[2]);
      return { name: `folder ${source.dir}`, pool: data.train, test: data.test, classNames: data.classNames };
    }
    case 'synthetic-cells': {
      requireTask(task, 'segmentation', 'synthetic-cells');
      const cells = { height: inputShape[0], width: inputShape[1], channels: inputShape[2], classes, seed: SYNTHETIC_CELLS_SEED };
      const testCount = Math.ceil(source.count / 5);
      // Test images continue the index range, so they never repeat a training image.
      return { name: `synthetic-cells (${source.count} + ${testCount} test)`, pool: generateCellsStore(cells, source.count), test: generateCellsStore(cells, testCount, source.count) };
    }
  }
}

function loadIdxFolder(folder: IdxFolder, classes: number): Loaded {
  return {
    name: `${folder.name} (${folder.dir})`,
    pool: loadIdxSplit(folder, 'train', classes),
    test: hasTestSplit(folder) ? loadIdxSplit(folder, 'test', classes) : undefined,
  };
}

function requireTask(task: Task, supported: Task, kind: string): void {
  if (task !== supported) throw dataError(DATA_ERRORS.badOption, `${kind} is a ${supported} dataset, but the network does ${task}; pick a ${task} data source`);
}
