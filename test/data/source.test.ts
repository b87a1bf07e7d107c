import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { DATA_SOURCE_FORMS, SYNTHETIC_CELLS_DEFAULT_COUNT, openDataset, parseDataSource } from '../../runtime/data/source.js';
import { throwsGnet } from './helpers.js';

test('the four forms parse to descriptors', () => {
  assert.equal(parseDataSource('fashion-mnist'), { kind: 'fashion-mnist' });
  assert.equal(parseDataSource('fashion-mnist:/data/fm'), { kind: 'fashion-mnist', dir: '/data/fm' });
  assert.equal(parseDataSource('mnist:/data/m'), { kind: 'mnist', dir: '/data/m' });
  assert.equal(parseDataSource('folder:./imgs'), { kind: 'folder', dir: './imgs' });
  assert.equal(parseDataSource('synthetic-cells'), { kind: 'synthetic-cells', count: SYNTHETIC_CELLS_DEFAULT_COUNT });
  assert.equal(parseDataSource('synthetic-cells:2000'), { kind: 'synthetic-cells', count: 2000 });
});

test('only the first colon separates, so folders may contain colons', () => {
  assert.equal(parseDataSource('folder:C:\\data\\cells'), { kind: 'folder', dir: 'C:\\data\\cells' });
});

test('unknown source: GN7005 listing every valid form', () => {
  throwsGnet(() => parseDataSource('cifar10'), DATA_ERRORS.unknownSource, '"cifar10"', ...DATA_SOURCE_FORMS);
});

test('missing folder or bad count: GN7005 with the expected form', () => {
  throwsGnet(() => parseDataSource('mnist'), DATA_ERRORS.unknownSource, 'mnist:DIR');
  throwsGnet(() => parseDataSource('folder:'), DATA_ERRORS.unknownSource, 'folder:DIR');
  for (const bad of ['synthetic-cells:0', 'synthetic-cells:1.5', 'synthetic-cells:many', 'synthetic-cells:']) {
    throwsGnet(() => parseDataSource(bad), DATA_ERRORS.unknownSource, 'synthetic-cells:2000');
  }
});

test('synthetic-cells opens as segmentation data at the network input size, with a disjoint test set', () => {
  const data = openDataset(parseDataSource('synthetic-cells:10'), { inputShape: [32, 40, 1], classes: 3, task: 'segmentation', validationSplit: 0.2, seed: 1 });
  assert.equal([data.train.size, data.validation.size, data.test?.size], [8, 2, 2]);
  assert.equal(data.info.imageShape, [32, 40, 1]);
  assert.is(data.info.subset, 'random');
  const [batch] = data.train.batches(8);
  assert.equal(batch.xShape, [8, 32, 40, 1]);
  assert.equal(batch.yShape, [8, 32, 40]);
  const [testBatch] = data.test!.batches(2);
  const trainImages = new Set(Array.from({ length: 8 }, (_, i) => batch.x.subarray(i * 1280, (i + 1) * 1280).join()));
  for (let i = 0; i < 2; i++) assert.not.ok(trainImages.has(testBatch.x.subarray(i * 1280, (i + 1) * 1280).join()));
});

test('synthetic-cells with a classification network or 4 classes: GN7008', () => {
  const source = parseDataSource('synthetic-cells:4');
  throwsGnet(() => openDataset(source, { inputShape: [32, 32, 1], classes: 2, task: 'classification', seed: 0 }), DATA_ERRORS.badOption, 'segmentation');
  throwsGnet(() => openDataset(source, { inputShape: [32, 32, 1], classes: 4, task: 'segmentation', seed: 0 }), DATA_ERRORS.badOption, '2 or 3');
});

test.run();
