/**
 * The paper's figures (Penaud-Polge et al., ICIP 2022; docs/gauss-layer.md §8) against the zoo, and
 * the per-layer formulas of params.ts against published totals (so "own counts" rest on checked
 * arithmetic).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { network } from './compile.js';
import { ALEXNET_BY_LAYER, LENET5_BY_LAYER } from './expected-classic.js';
import { VGG16_CONVS } from './expected-segmentation.js';
import { dense, gaussFull, gaussSeparated } from './params.js';

const trainable = (file: string, name: string) => network(file, name).totals.trainable;

test('the per-layer formulas reproduce published LeNet-5, AlexNet and VGG16 totals', () => {
  assert.is(LENET5_BY_LAYER, 61_706);
  assert.is(ALEXNET_BY_LAYER, 61_100_840);
  assert.is(VGG16_CONVS + dense(7 * 7 * 512, 4096) + dense(4096, 4096) + dense(4096, 1000), 138_357_544);
});

test('the gauss formulas reproduce the worked example of docs/gauss-layer.md §4', () => {
  assert.is(gaussSeparated(1, 16, 4, 3), 400);
  assert.is(gaussFull(16, 32, 8, 3), 5520);
});

test('reference network: 6 346 trainable parameters, 6 442 in all (docs/gauss-layer.md §8)', () => {
  const { totals } = network('reference.gnet', 'Reference');
  assert.is(totals.trainable, 6346);
  assert.is(totals.trainable + totals.nonTrainable, 6442);
});

test('reference network carries the notebook’s training setting', () => {
  assert.equal(network('reference.gnet', 'Reference').graph.training, {
    data: 'fashion-mnist',
    loss: 'crossentropy',
    optimizer: { name: 'adam', lr: 0.01 },
    epochs: 2,
    batch: 45,
  });
});

test('Gaussian U-Net holds about a quarter of its 5×5 twin, as in Table 3 (25 298 / 97 202 = 26 %)', () => {
  const ratio = trainable('gauss-unet.gnet', 'GaussUNet') / trainable('gauss-unet.gnet', 'UNet5x5');
  assert.ok(Math.abs(ratio - 25_298 / 97_202) < 0.02, `ratio ${ratio}`);
});

test('Table 1: "Ours-separated" holds about a third fewer parameters than "Ours"', () => {
  const saving = 1 - trainable('table1.gnet', 'OursSeparated') / trainable('table1.gnet', 'Ours');
  assert.ok(saving > 0.28 && saving < 0.38, `saving ${saving}`);
});

test('Table 1: fewer bases, fixed bases and plain kernels order the counts as expected', () => {
  const count = (name: string) => trainable('table1.gnet', name);
  assert.ok(count('OursFew') < count('Ours'));
  assert.ok(count('RFNN') < count('OursFew'));
  assert.ok(count('Ours') < count('FreeForm') / 4);
});

test('Table 1: all six networks share one architecture (same shapes node for node after the input)', () => {
  const shapesOf = (name: string) => network('table1.gnet', name).rows.filter((r) => r.node.op !== 'input').map((r) => r.shape);
  const freeForm = shapesOf('FreeForm');
  for (const name of ['RFNN', 'DAU', 'Ours', 'OursFew', 'OursSeparated']) assert.equal(shapesOf(name), freeForm, name);
});

test('VGG16 with a gauss first layer differs from VGG16 only in that layer', () => {
  const gauss = network('vgg16-gauss.gnet', 'VGG16Gauss');
  const plain = network('vgg16.gnet', 'VGG16');
  const first = (a: typeof gauss) => a.rows.find((r) => r.node.op !== 'input')!;
  assert.is(first(gauss).node.op, 'gauss');
  assert.is(gauss.totals.trainable - first(gauss).trainable, plain.totals.trainable - first(plain).trainable);
});

test.run();
