import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_ERRORS, dataError } from './codes.js';
import { type IdxArray, readIdxFile } from './idx.js';
import type { SampleStore } from './types.js';

/** Where Debian's `dataset-fashion-mnist` package puts the gzipped IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_ENV = 'GNET_FASHION_MNIST_DIR';

export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** An MNIST-format folder: which dataset it is (for messages) and how to point elsewhere. */
export interface IdxFolder {
  readonly name: string;
  readonly dir: string;
  /** Second half of a "not found" message: how to get the files or name another folder. */
  readonly hint: string;
}

const BASE_NAMES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Accepted spellings: LeCun's names, Kaggle's `train-images.idx3-ubyte`, each plain or `.gz`. */
export function candidateNames(base: string): string[] {
  const dotted = base.replace(/-idx(\d)/, '.idx$1');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

export function findIdxFile(folder: IdxFolder, base: string): string | undefined {
  return candidateNames(base).map((n) => join(folder.dir, n)).find((p) => existsSync(p));
}

function requireIdxFile(folder: IdxFolder, base: string): string {
  if (!existsSync(folder.dir)) {
    throw dataError(DATA_ERRORS.missingFile, `${folder.name} folder not found: ${folder.dir}; ${folder.hint}`);
  }
  const path = findIdxFile(folder, base);
  if (!path) throw dataError(DATA_ERRORS.missingFile, `${folder.name} file ${join(folder.dir, base)}[.gz] not found; ${folder.hint}`);
  return path;
}

export function loadIdxSplit(folder: IdxFolder, split: 'train' | 'test', classes: number): SampleStore {
  const names = BASE_NAMES[split];
  const imagesPath = requireIdxFile(folder, names.images);
  const labelsPath = requireIdxFile(folder, names.labels);
  const images = expectBytes(readIdxFile(imagesPath), 3, imagesPath, 'images');
  const labels = expectBytes(readIdxFile(labelsPath), 1, labelsPath, 'labels');
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw dataError(DATA_ERRORS.countMismatch, `${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels; the two files must come from the same release`);
  }
  checkLabels(labels.data, classes, labelsPath);
  return { count, imageShape: [height, width, 1], pixels: images.data, labels: labels.data, task: 'classification' };
}

/** The test split is optional: a folder may hold only training files. */
export function hasTestSplit(folder: IdxFolder): boolean {
  return findIdxFile(folder, BASE_NAMES.test.images) !== undefined || findIdxFile(folder, BASE_NAMES.test.labels) !== undefined;
}

function expectBytes(array: IdxArray, rank: number, path: string, what: string): IdxArray & { data: Uint8Array } {
  if (array.dtype !== 'ubyte' || array.dims.length !== rank || !(array.data instanceof Uint8Array)) {
    throw dataError(DATA_ERRORS.corruptFile, `${path} should hold ${what} as a ${rank}-dimensional ubyte array but holds ${array.dims.length}-dimensional ${array.dtype}; check the file name`);
  }
  return array as IdxArray & { data: Uint8Array };
}

export function checkLabels(labels: ArrayLike<number>, classes: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `label ${labels[i]} of sample ${i} in ${source} is outside 0..${classes - 1}; the network has ${classes} classes, give it at least ${labels[i] + 1}`);
    }
  }
}
