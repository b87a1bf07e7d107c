import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, loadIdxSplit } from '../../runtime/data/mnist.js';
import { openDataset, parseDataSource } from '../../runtime/data/source.js';
import type { ImageShape } from '../../runtime/data/types.js';
import { encodeIdx, tempDir, throwsGnet, writeFile } from './helpers.js';

const SIDE = 28;
/** Image i has pixel value (i + row + column + 1) % 256 (never 0, unlike padding) and label i % 10. */
const pixelOf = (i: number, row: number, col: number) => (i + row + col + 1) % 256;

function fakeMnist(options: { train?: number; test?: number; labels?: (i: number) => number; labelCount?: number; gzip?: boolean; names?: 'lecun' | 'kaggle' } = {}): string {
  const { train = 20, test = 10, labels = (i) => i % 10, gzip = true, names = 'lecun' } = options;
  const dir = tempDir('mnist');
  const write = (base: string, bytes: Uint8Array) => {
    const name = names === 'kaggle' ? base.replace(/-idx(\d)/, '.idx$1') : base;
    writeFile(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  };
  for (const [prefix, count] of [['train', train], ['t10k', test]] as const) {
    if (count === 0) continue;
    const pixels = Array.from({ length: count * SIDE * SIDE }, (_, k) => pixelOf(Math.floor(k / (SIDE * SIDE)), Math.floor(k / SIDE) % SIDE, k % SIDE));
    write(`${prefix}-images-idx3-ubyte`, encodeIdx('ubyte', [count, SIDE, SIDE], pixels));
    const labelCount = prefix === 'train' ? (options.labelCount ?? count) : count;
    write(`${prefix}-labels-idx1-ubyte`, encodeIdx('ubyte', [labelCount], Array.from({ length: labelCount }, (_, i) => labels(i))));
  }
  return dir;
}

const open = (spec: string, inputShape: ImageShape = [28, 28, 1], classes = 10) =>
  openDataset(parseDataSource(spec), { inputShape, classes, task: 'classification', seed: 0 });

test('fake Fashion-MNIST folder: counts, labels and pixels scaled to [0, 1]', () => {
  const data = open(`fashion-mnist:${fakeMnist()}`);
  assert.is(data.info.count, 20);
  assert.is(data.test?.size, 10);
  const [batch] = data.train.batches(20);
  assert.equal(batch.xShape, [20, 28, 28, 1]);
  assert.equal([...batch.y], Array.from({ length: 20 }, (_, i) => i % 10));
  assert.is(batch.x[(3 * 28 + 5) * 28 + 7], Math.fround(pixelOf(3, 5, 7) / 255));
});

test('a larger network input pads the 28×28 image centred with zeros', () => {
  const [batch] = open(`fashion-mnist:${fakeMnist()}`, [32, 34, 1]).train.batches(1);
  assert.equal(batch.xShape, [1, 32, 34, 1]);
  const at = (row: number, col: number) => batch.x[row * 34 + col];
  assert.is(at(2, 3), Math.fround(pixelOf(0, 0, 0) / 255));
  assert.is(at(2 + 27, 3 + 27), Math.fround(pixelOf(0, 27, 27) / 255));
  assert.is(at(1, 10), 0);
  assert.is(at(30, 10), 0);
  assert.is(at(10, 2), 0);
  assert.is(at(10, 31), 0);
});

test('plain files and Kaggle-style names are found too', () => {
  assert.is(open(`mnist:${fakeMnist({ gzip: false })}`).info.count, 20);
  assert.is(open(`mnist:${fakeMnist({ names: 'kaggle' })}`).info.count, 20);
});

test('a folder without t10k files has no test set', () => {
  const data = open(`mnist:${fakeMnist({ test: 0 })}`);
  assert.is(data.test, undefined);
  assert.is(data.info.testCount, 0);
});

test(`${FASHION_MNIST_ENV} points fashion-mnist elsewhere`, () => {
  const before = process.env[FASHION_MNIST_ENV];
  process.env[FASHION_MNIST_ENV] = fakeMnist({ train: 30 });
  try {
    assert.is(open('fashion-mnist').info.count, 30);
  } finally {
    if (before === undefined) delete process.env[FASHION_MNIST_ENV];
    else process.env[FASHION_MNIST_ENV] = before;
  }
});

test('missing folder or file: GN7001 naming it and how to point elsewhere', () => {
  const absent = join(tempDir('mnist'), 'nowhere');
  throwsGnet(() => open(`fashion-mnist:${absent}`), DATA_ERRORS.missingFile, absent, FASHION_MNIST_ENV, 'dataset-fashion-mnist');
  const dir = fakeMnist();
  rmSync(join(dir, 'train-labels-idx1-ubyte.gz'));
  throwsGnet(() => open(`fashion-mnist:${dir}`), DATA_ERRORS.missingFile, join(dir, 'train-labels-idx1-ubyte'), FASHION_MNIST_ENV);
  throwsGnet(() => open(`mnist:${dir}`), DATA_ERRORS.missingFile, 'mnist:DIR');
});

test('image/label count mismatch: GN7003 naming both files', () => {
  const dir = fakeMnist({ labelCount: 19 });
  throwsGnet(() => open(`mnist:${dir}`), DATA_ERRORS.countMismatch, '20 images', '19 labels', 'train-images', 'train-labels');
});

test('label out of range: GN7004 with the label, sample and class count', () => {
  const dir = fakeMnist({ labels: (i) => (i === 7 ? 12 : i % 10) });
  throwsGnet(() => open(`mnist:${dir}`), DATA_ERRORS.labelOutOfRange, 'label 12', 'sample 7', '0..9');
  assert.is(open(`mnist:${dir}`, [28, 28, 1], 13).info.classes, 13);
});

test('images and labels swapped: GN7002', () => {
  const dir = fakeMnist({ gzip: false });
  renameSync(join(dir, 'train-images-idx3-ubyte'), join(dir, 'tmp'));
  renameSync(join(dir, 'train-labels-idx1-ubyte'), join(dir, 'train-images-idx3-ubyte'));
  renameSync(join(dir, 'tmp'), join(dir, 'train-labels-idx1-ubyte'));
  throwsGnet(() => open(`mnist:${dir}`), DATA_ERRORS.corruptFile, 'ubyte array');
});

test('network input smaller than the images, or with 3 channels: GN7006', () => {
  const dir = fakeMnist();
  throwsGnet(() => open(`mnist:${dir}`, [24, 32, 1]), DATA_ERRORS.shapeMismatch, '28×28', '24×32', 'at least 28×28');
  throwsGnet(() => open(`mnist:${dir}`, [28, 28, 3]), DATA_ERRORS.shapeMismatch, '1 channel', 'has 3');
});

test('fashion-mnist cannot feed a segmentation network: GN7008', () => {
  const source = parseDataSource(`fashion-mnist:${fakeMnist()}`);
  throwsGnet(() => openDataset(source, { inputShape: [28, 28, 1], classes: 10, task: 'segmentation', seed: 0 }), DATA_ERRORS.badOption, 'classification');
});

const realDir = process.env[FASHION_MNIST_ENV] ?? FASHION_MNIST_DEFAULT_DIR;
if (existsSync(join(realDir, 'train-labels-idx1-ubyte.gz')) || existsSync(join(realDir, 'train-labels-idx1-ubyte'))) {
  // Reference figures from the dataset's documentation: 6 000 / 1 000 images per class, mean pixel 0.2860.
  test('real Fashion-MNIST: 60 000 + 10 000 balanced images with the documented mean', () => {
    const data = open('fashion-mnist', [28, 28, 1]);
    assert.is(data.info.count, 60000);
    assert.is(data.test?.size, 10000);
    const folder = { name: 'Fashion-MNIST', dir: realDir, hint: '' };
    const train = loadIdxSplit(folder, 'train', 10);
    const perClass = new Array(10).fill(0);
    for (const label of train.labels) perClass[label]++;
    assert.equal(perClass, new Array(10).fill(6000));
    const mean = train.pixels.reduce((sum, p) => sum + p, 0) / train.pixels.length / 255;
    assert.ok(Math.abs(mean - 0.286) < 0.0005, `mean ${mean}`);
  });

  test('real Fashion-MNIST: 1 000-image stratified subset has 100 per class', () => {
    const data = openDataset(parseDataSource('fashion-mnist'), { inputShape: [28, 28, 1], classes: 10, task: 'classification', trainSize: 1000, validationSplit: 0.1, seed: 4 });
    const [batch] = data.train.batches(1000);
    const perClass = new Array(10).fill(0);
    for (const label of batch.y) perClass[label]++;
    assert.equal(perClass, new Array(10).fill(100));
    assert.is(data.validation.size, 6000);
  });
} else {
  console.log(`note: real Fashion-MNIST not found in ${realDir} (apt-get install dataset-fashion-mnist); skipping its tests`);
}

test.run();
