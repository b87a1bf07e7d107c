import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { makeDataset } from '../../runtime/data/dataset.js';
import type { SampleStore } from '../../runtime/data/types.js';
import { collect, throwsGnet } from './helpers.js';

/** 23 one-pixel-wide images whose single pixel encodes the sample index; label = index % 5. */
const store: SampleStore = {
  count: 23,
  imageShape: [1, 1, 1],
  pixels: Uint8Array.from({ length: 23 }, (_, i) => i * 10),
  labels: Int32Array.from({ length: 23 }, (_, i) => i % 5),
  task: 'classification',
};
const indices = Int32Array.from({ length: 20 }, (_, i) => i + 3);
const dataset = makeDataset(store, indices, [1, 1, 1]);
const sampleOrder = (options: Parameters<typeof dataset.batches>[1], batchSize = 6) =>
  collect(dataset.batches(batchSize, options)).flatMap((b) => Array.from(b.x, (v) => Math.round(v * 25.5)));

test('without shuffle, batches follow the subset order; the last batch is partial', () => {
  const batches = collect(dataset.batches(6));
  assert.equal(batches.map((b) => b.xShape[0]), [6, 6, 6, 2]);
  assert.equal(sampleOrder({}), [...indices]);
  assert.equal(batches.flatMap((b) => [...b.y]), [...indices].map((i) => i % 5));
});

test('dropRemainder leaves out the partial batch', () => {
  assert.equal(collect(dataset.batches(6, { dropRemainder: true })).map((b) => b.xShape[0]), [6, 6, 6]);
});

test('shuffled order is fixed by (seed, epoch) and covers every sample once', () => {
  const a = sampleOrder({ shuffle: true, seed: 5, epoch: 2 });
  assert.equal(a, sampleOrder({ shuffle: true, seed: 5, epoch: 2 }));
  assert.equal([...a].sort((x, y) => x - y), [...indices]);
  assert.not.equal(a, sampleOrder({ shuffle: true, seed: 5, epoch: 3 }));
  assert.not.equal(a, sampleOrder({ shuffle: true, seed: 6, epoch: 2 }));
  assert.not.equal(a, [...indices]);
});

test('the order does not depend on the batch size', () => {
  assert.equal(sampleOrder({ shuffle: true, seed: 1, epoch: 0 }, 4), sampleOrder({ shuffle: true, seed: 1, epoch: 0 }, 7));
});

test('labels travel with their images through the shuffle', () => {
  for (const batch of dataset.batches(6, { shuffle: true, seed: 9 })) {
    batch.y.forEach((label, i) => assert.is(label, Math.round(batch.x[i] * 25.5) % 5));
  }
});

test('batch size must be a positive integer: GN7008', () => {
  throwsGnet(() => dataset.batches(0).next(), DATA_ERRORS.badOption, 'batch size');
});

test.run();
