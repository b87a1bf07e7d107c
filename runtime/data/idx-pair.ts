import { DATA_ERRORS, dataError } from './codes.js';
import type { IdxArray } from './idx-format.js';
import type { SampleStore } from './types.js';

/**
 * An images file and a labels file of one split, decoded, as a classification store: the shapes,
 * the counts and the labels checked. Node-free, so the playground checks dropped files the same way.
 */
export function idxPairStore(images: IdxArray, imagesName: string, labels: IdxArray, labelsName: string, classes: number): SampleStore {
  const pixels = expectBytes(images, 3, imagesName, 'images');
  const classIds = expectBytes(labels, 1, labelsName, 'labels');
  const [count, height, width] = pixels.dims;
  if (classIds.dims[0] !== count) {
    throw dataError(DATA_ERRORS.countMismatch, `${imagesName} holds ${count} images but ${labelsName} holds ${classIds.dims[0]} labels; the two files must come from the same release`);
  }
  checkLabels(classIds.data, classes, labelsName);
  return { count, imageShape: [height, width, 1], pixels: pixels.data, labels: classIds.data, task: 'classification' };
}

function expectBytes(array: IdxArray, rank: number, name: string, what: string): IdxArray & { data: Uint8Array } {
  if (array.dtype !== 'ubyte' || array.dims.length !== rank || !(array.data instanceof Uint8Array)) {
    throw dataError(DATA_ERRORS.corruptFile, `${name} should hold ${what} as a ${rank}-dimensional ubyte array but holds ${array.dims.length}-dimensional ${array.dtype}; check the file name`);
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
