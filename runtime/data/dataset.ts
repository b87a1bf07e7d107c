import { drawTransform, resolveAugment, writeSample } from './augment.js';
import { DATA_ERRORS, dataError } from './codes.js';
import { STREAM, hashSeed, seededRandom, shuffleInPlace } from './random.js';
import type { Batch, BatchOptions, Dataset, ImageShape, SampleStore } from './types.js';

/** A dataset is a list of sample indices into a store, seen through the network's input window. */
export function makeDataset(store: SampleStore, indices: Int32Array, inputShape: ImageShape): Dataset {
  return {
    size: indices.length,
    inputShape,
    task: store.task,
    batches: (batchSize, options = {}) => iterateBatches(store, indices, inputShape, batchSize, options),
  };
}

/** Sample order of one epoch: a permutation fixed by (seed, epoch), or storage order. */
export function epochOrder(indices: Int32Array, options: BatchOptions): Int32Array {
  const order = indices.slice();
  if (!options.shuffle) return order;
  return shuffleInPlace(order, seededRandom(hashSeed(STREAM.order, options.seed ?? 0, options.epoch ?? 0)));
}

function* iterateBatches(store: SampleStore, indices: Int32Array, target: ImageShape, batchSize: number, options: BatchOptions): IterableIterator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw dataError(DATA_ERRORS.badOption, `batch size must be a positive integer, got ${batchSize}`);
  }
  const augment = resolveAugment(options.augment, store.task, target);
  const order = epochOrder(indices, options);
  const [H, W, C] = target;
  const segmentation = store.task === 'segmentation';
  for (let start = 0; start < order.length; start += batchSize) {
    const n = Math.min(batchSize, order.length - start);
    if (n < batchSize && options.dropRemainder) return;
    const x = new Float32Array(n * H * W * C);
    const y = new Int32Array(segmentation ? n * H * W : n);
    for (let slot = 0; slot < n; slot++) {
      // Per-position draws: the same (seed, epoch) reproduces every crop and flip.
      const random = seededRandom(hashSeed(STREAM.augment, options.seed ?? 0, options.epoch ?? 0, start + slot));
      const transform = drawTransform(store.imageShape, target, augment, random);
      writeSample(store, order[start + slot], transform, target, x, y, slot);
    }
    yield { x, xShape: [n, H, W, C], y, yShape: segmentation ? [n, H, W] : [n] };
  }
}

/** Refuses inputs that would silently cut classification images or mix channel counts. */
export function checkInputFits(store: SampleStore, input: ImageShape, sourceName: string): void {
  const [h, w, c] = store.imageShape;
  if (c !== input[2]) {
    throw dataError(DATA_ERRORS.shapeMismatch, `${sourceName} images have ${c} channel(s) but the network input has ${input[2]}; use an input of ${input[0]}×${input[1]}×${c}`);
  }
  if (store.task === 'classification' && (h > input[0] || w > input[1])) {
    throw dataError(DATA_ERRORS.shapeMismatch, `${sourceName} images are ${h}×${w} but the network input is ${input[0]}×${input[1]}; use an input of at least ${h}×${w} (smaller ones are padded centred with zeros)`);
  }
}
