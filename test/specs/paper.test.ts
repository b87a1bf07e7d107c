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
import { TABLE1_DAU, TABLE1_FEW, TABLE1_FREE_FORM, TABLE1_OURS, TABLE1_RFNN, TABLE1_SEPARATED } from './expected-gauss.js';
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

test('Table 1: the six rows hold 16 698, 18 506, 72 746, 21 306, 19 906 and 14 506 trainable parameters (by hand: docs/results/table1.md)', () => {
  const counts = ['FreeForm', 'RFNN', 'DAU', 'Ours', 'OursFew', 'OursSeparated'].map((name) => trainable('table1.gnet', name));
  assert.equal(counts, [TABLE1_FREE_FORM, TABLE1_RFNN, TABLE1_DAU, TABLE1_OURS, TABLE1_FEW, TABLE1_SEPARATED]);
  assert.equal(counts, [16_698, 18_506, 72_746, 21_306, 19_906, 14_506]);
});

test('Table 1: the layers are what the paper states (3×3 free-form, RFNN σ 1.5 then 1, 10 DAU units, order-3 bases, fixed batch statistics, the 2022 mix initialiser)', () => {
  const nodes = (name: string, op: string) => network('table1.gnet', name).rows.filter((r) => r.node.op === op).map((r) => r.node.attrs);
  assert.equal(nodes('FreeForm', 'conv').map((a) => a.size), [3, 3, 3, 3]);
  assert.equal(nodes('RFNN', 'gauss').map((a) => [a.sigma_init, a.train_sigma, a.bases, a.order]), [[1.5, false, 1, 3], [1, false, 1, 3], [1, false, 1, 3], [1, false, 1, 3]]);
  assert.equal(nodes('DAU', 'dau').map((a) => [a.units, a.train_sigma]), Array(4).fill([10, true]));
  for (const name of ['RFNN', 'Ours', 'OursFew', 'OursSeparated']) assert.ok(nodes(name, 'gauss').every((a) => a.mix_init === 'uniform' && a.order === 3), name);
  assert.equal(nodes('OursFew', 'gauss').map((a) => a.bases), nodes('Ours', 'gauss').map((a) => (a.bases as number) / 2));
  assert.equal(nodes('OursSeparated', 'gauss').map((a) => [a.bases, a.mix]), nodes('Ours', 'gauss').map((a) => [a.bases, 'separated']));
  for (const name of ['FreeForm', 'RFNN', 'DAU', 'Ours', 'OursFew', 'OursSeparated']) {
    assert.ok(nodes(name, 'batchnorm').every((a) => a.scale === false && a.statistics === 'fixed'), name);
  }
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
