/**
 * The training and validation sets of a run in the page, from the data the user chose: built-in
 * cells for segmentation networks, IDX files or an image folder for classifiers. The images are
 * checked against the network input as `gnet train` checks them; validation uses the test files
 * when given, else a stratified tenth held out of the training files.
 */
import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';
import { checkInputFits, makeDataset } from '../../../runtime/data/dataset.js';
import { FASHION_MNIST_CLASS_NAMES } from '../../../runtime/data/class-names.js';
import { splitSamples } from '../../../runtime/data/split.js';
import { generateCellsStore, SYNTHETIC_CELLS_SEED } from '../../../runtime/data/synthetic-cells.js';
import type { Dataset, ImageShape, InputShape, SampleStore, Task } from '../../../runtime/data/types.js';
import type { DataChoice } from './data-choice.js';
import { readIdxFiles } from './idx-files.js';
import { readImageFolder } from './image-folder.js';

export interface PageData {
  readonly train: Dataset;
  readonly validation?: Dataset;
  readonly classNames?: readonly string[];
  /** Where the images come from and how they were split, for the page. */
  readonly summary: string;
}

/**
 * What the data must fit: the parts of the trainer's TaskInfo the data needs. The page builds it from
 * the report, so the picked files are checked (here, on the main thread) without TensorFlow.js.
 */
export interface DataTarget {
  readonly task: Task;
  readonly classes: number;
  readonly input: { readonly shape: ImageShape };
  /** The output the loss reads, named in messages. */
  readonly primary: { readonly name: string; readonly shape: readonly number[] };
}

export interface PageDataOptions {
  readonly task: DataTarget;
  /** Training images wanted (the "images" field): all there are when fewer. */
  readonly samples: number;
  readonly seed: number;
  /** The spec's own `data = "…"`, for class names of Fashion-MNIST files. */
  readonly specData: string;
}

/** Validation images at most: the page evaluates them after every epoch. */
const VALIDATION_LIMIT = 500;
const HELD_OUT = 0.1;

/** The task of a network on images; a network on volumes is refused (the page trains on images). */
export function imageTarget(task: Omit<DataTarget, 'input'> & { readonly input: { readonly shape: InputShape } }): DataTarget {
  const { shape } = task.input;
  if (shape.length !== 3) {
    throw dataError(DATA_ERRORS.volumeInput, `this network takes volumes [${shape.join('×')}]; the page trains on images: train it with \`gnet train --data synthetic-volumes\``);
  }
  return { ...task, input: { ...task.input, shape } };
}

export async function loadPageData(choice: DataChoice, options: PageDataOptions): Promise<PageData> {
  const { task } = options;
  const network = task.primary.name;
  if (choice.kind === 'cells') {
    if (task.task !== 'segmentation') {
      throw dataError(DATA_ERRORS.badOption, `this network classifies images (output ${network} [${task.primary.shape.join('×')}]); the synthetic cells are for segmentation: choose MNIST / Fashion-MNIST files or a folder of images`);
    }
    return cells(options);
  }
  if (task.task !== 'classification') {
    throw dataError(DATA_ERRORS.badOption, `this network segments images (output ${network} [${task.primary.shape.join('×')}]); the page trains segmentation on the synthetic cells only: choose synthetic cells`);
  }
  const [height, width, channels] = task.input.shape;
  const loaded = choice.kind === 'idx'
    ? await idx(choice.files, task.classes, options.specData)
    : { name: 'image folder', ...(await readImageFolder(choice.files, task.classes, channels)) };
  for (const store of [loaded.train, loaded.test]) if (store) checkInputFits(store, task.input.shape, loaded.name);
  const pool = loaded.train;
  const held = loaded.test ? 0 : pool.count >= 1 / HELD_OUT ? HELD_OUT : 0;
  const available = pool.count - Math.round(held * pool.count);
  const split = splitSamples({ count: pool.count, classOf: pool.labels, validationSplit: held, trainSize: Math.min(options.samples, available), seed: options.seed });
  const validation = loaded.test
    ? makeDataset(loaded.test, range(Math.min(loaded.test.count, VALIDATION_LIMIT)), task.input.shape)
    : split.validation.length > 0 ? makeDataset(pool, split.validation, task.input.shape) : undefined;
  const [h, w, c] = pool.imageShape;
  const checked = !validation ? 'no validation (fewer than 10 images)' : loaded.test ? `validating on ${validation.size} test images` : `validating on ${validation.size} held out`;
  const padded = h < height || w < width ? `, padded to ${height}×${width}` : '';
  return {
    train: makeDataset(pool, split.train, task.input.shape),
    validation,
    classNames: loaded.classNames,
    summary: `${loaded.name}: training on ${split.train.length} of ${pool.count} images ${h}×${w}×${c}${padded}, ${checked}`,
  };
}

async function idx(files: Extract<DataChoice, { kind: 'idx' }>['files'], classes: number, specData: string): Promise<{ name: string; train: SampleStore; test?: SampleStore; classNames?: readonly string[] }> {
  const data = await readIdxFiles(files, classes);
  const fashion = specData.startsWith('fashion-mnist') && classes === FASHION_MNIST_CLASS_NAMES.length;
  return { name: 'IDX files', ...data, classNames: fashion ? FASHION_MNIST_CLASS_NAMES : undefined };
}

/** Built-in cells: the training images, then as many again ÷ 4 (at most 32) after them for validation. */
function cells(options: PageDataOptions): PageData {
  const [height, width, channels] = options.task.input.shape;
  const cellOptions = { height, width, channels, classes: options.task.classes, seed: SYNTHETIC_CELLS_SEED };
  const count = options.samples;
  const validationCount = Math.min(32, Math.ceil(count / 4));
  const train = generateCellsStore(cellOptions, count);
  // Validation images continue the index range, so they never repeat a training image.
  const validation = generateCellsStore(cellOptions, validationCount, count);
  return {
    train: makeDataset(train, range(count), options.task.input.shape),
    validation: makeDataset(validation, range(validationCount), options.task.input.shape),
    summary: `synthetic cells: training on ${count} images ${height}×${width}×${channels}, validating on ${validationCount} others`,
  };
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
