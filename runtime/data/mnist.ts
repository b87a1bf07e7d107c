import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_ERRORS, dataError } from './codes.js';
import { readIdxFile } from './idx.js';
import { idxPairStore } from './idx-pair.js';
import type { SampleStore } from './types.js';

/** Where Debian's `dataset-fashion-mnist` package puts the gzipped IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_ENV = 'GNET_FASHION_MNIST_DIR';

export { FASHION_MNIST_CLASS_NAMES } from './class-names.js';

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
  return idxPairStore(readIdxFile(imagesPath), imagesPath, readIdxFile(labelsPath), labelsPath, classes);
}

/** The test split is optional: a folder may hold only training files. */
export function hasTestSplit(folder: IdxFolder): boolean {
  return findIdxFile(folder, BASE_NAMES.test.images) !== undefined || findIdxFile(folder, BASE_NAMES.test.labels) !== undefined;
}
