import { DATA_ERRORS, dataError } from './codes.js';
import { checkInputFits, makeDataset } from './dataset.js';
import { loadFolder } from './folder.js';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, type IdxFolder, hasTestSplit, loadIdxSplit } from './mnist.js';
import { type SubsetStrategy, splitSamples } from './split.js';
import { SYNTHETIC_CELLS_SEED, generateCellsStore } from './synthetic-cells.js';
import type { Dataset, ImageShape, SampleStore, Task } from './types.js';

export type DataSource =
  | { readonly kind: 'fashion-mnist'; readonly dir?: string }
  | { readonly kind: 'mnist'; readonly dir: string }
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'synthetic-cells'; readonly count: number };

export const DATA_SOURCE_FORMS = ['fashion-mnist[:DIR]', 'mnist:DIR', 'folder:DIR', 'synthetic-cells[:N]'] as const;
export const SYNTHETIC_CELLS_DEFAULT_COUNT = 1000;

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
    default:
      throw dataError(DATA_ERRORS.unknownSource, `unknown data source "${spec}"; valid forms: ${DATA_SOURCE_FORMS.join(', ')}`);
  }
}

function parseCount(text: string, spec: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1)) throw dataError(DATA_ERRORS.unknownSource, `"${spec}": the number of images must be a positive integer, as in synthetic-cells:2000`);
  return count;
}

export interface OpenOptions {
  /** Network input [H, W, C]: images are padded (centred, zeros) or cropped to it. */
  readonly inputShape: ImageShape;
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
  readonly imageShape: ImageShape;
  readonly inputShape: ImageShape;
  readonly subset: SubsetStrategy;
}

export interface OpenedData {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test?: Dataset;
  readonly info: DataInfo;
  /** The decoded pool and the split's indices, for a trainer in another process (the torch backend). */
  readonly samples: { readonly pool: SampleStore; readonly train: Int32Array; readonly validation: Int32Array; readonly test?: SampleStore };
}

interface Loaded {
  readonly name: string;
  readonly pool: SampleStore;
  readonly test?: SampleStore;
  readonly classNames?: readonly string[];
}

export function openDataset(source: DataSource, options: OpenOptions): OpenedData {
  const loaded = load(source, options);
  const { pool, test } = loaded;
  for (const store of [pool, test]) if (store) checkInputFits(store, options.inputShape, loaded.name);
  const split = splitSamples({
    count: pool.count,
    classOf: pool.task === 'classification' ? pool.labels : undefined,
    validationSplit: options.validationSplit,
    trainSize: options.trainSize,
    seed: options.seed,
  });
  const everything = (store: SampleStore) => Int32Array.from({ length: store.count }, (_, i) => i);
  return {
    train: makeDataset(pool, split.train, options.inputShape),
    validation: makeDataset(pool, split.validation, options.inputShape),
    test: test && makeDataset(test, everything(test), options.inputShape),
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
    samples: { pool, train: split.train, validation: split.validation, test },
  };
}

function load(source: DataSource, options: OpenOptions): Loaded {
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
