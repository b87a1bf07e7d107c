/** Losses, targets and metrics against plain-JavaScript computations of the same formulas. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import type { LossTerm } from '../../runtime/train/config.js';
import { binaryCrossentropy, buildLoss, crossentropy, dice } from '../../runtime/train/losses.js';
import { addToConfusion, computeMetrics, emptyConfusion, predictedClasses } from '../../runtime/train/metrics.js';
import type { OutputInfo } from '../../runtime/train/model.js';
import { describeTask, targetFor } from '../../runtime/train/targets.js';
import { throwsGnet } from '../data/helpers.js';
import { useCpu } from './cpu.js';

await useCpu();

const term = (kind: LossTerm['kind'], extra: Partial<LossTerm> = {}): LossTerm => ({ kind, output: null, weight: 1, smooth: 1, ...extra });
const value = (t: tf.Tensor) => t.dataSync()[0]!;
const close = (actual: number, expected: number, tolerance = 1e-5) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

const LOGITS = [[2, -1, 0.5], [0.1, 0.2, -3]];
const LABELS = [0, 2];
const softmaxRow = (row: number[]) => row.map((v) => Math.exp(v) / row.reduce((s, u) => s + Math.exp(u), 0));

test('crossentropy from logits and from softmax probabilities equals −mean log p[label]', () => {
  const expected = -LABELS.reduce((s, label, i) => s + Math.log(softmaxRow(LOGITS[i]!)[label]!), 0) / LABELS.length;
  tf.tidy(() => {
    const target = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
    close(value(crossentropy(tf.tensor2d(LOGITS), target, 'none', term('crossentropy'), false)), expected);
    close(value(crossentropy(tf.softmax(tf.tensor2d(LOGITS)), target, 'softmax', term('crossentropy'), false)), expected);
  });
});

test('binary crossentropy from logits (stable form) and from sigmoid probabilities', () => {
  const logits = [3, -2, 0.5, -40];
  const labels = [1, 0, 0, 1];
  const p = logits.map((x) => 1 / (1 + Math.exp(-x)));
  const exact = -labels.reduce((s, y, i) => s + y * Math.log(p[i]!) + (1 - y) * Math.log(1 - p[i]!), 0) / labels.length;
  tf.tidy(() => {
    close(value(binaryCrossentropy(tf.tensor2d(logits, [4, 1]), tf.tensor2d(labels, [4, 1]), 'none', term('binary_crossentropy'), false)), exact, 1e-4);
    // Probabilities are clipped to [1e-7, 1 − 1e-7] as Keras does, which caps the last term at −log(1e-7).
    const clipped = -labels.reduce((s, y, i) => s + y * Math.log(Math.max(p[i]!, 1e-7)) + (1 - y) * Math.log(1 - p[i]!), 0) / labels.length;
    close(value(binaryCrossentropy(tf.sigmoid(tf.tensor2d(logits, [4, 1])), tf.tensor2d(labels, [4, 1]), 'sigmoid', term('binary_crossentropy'), false)), clipped, 1e-3);
  });
});

test('soft Dice over the foreground classes of a segmentation batch', () => {
  // One 1×2 image, two classes; probabilities given directly.
  const probs = [[0.8, 0.2], [0.3, 0.7]];
  const truth = [0, 1];
  const overlap = probs[0]![1]! * 0 + probs[1]![1]! * 1;
  const sums = probs[0]![1]! + probs[1]![1]! + 1;
  const expected = 1 - (2 * overlap + 1) / (sums + 1);
  tf.tidy(() => {
    const prediction = tf.tensor4d(probs.flat(), [1, 1, 2, 2]);
    const target = tf.oneHot(tf.tensor3d(truth, [1, 1, 2], 'int32'), 2);
    close(value(dice(prediction, target, 'softmax', term('dice'), true)), expected);
  });
});

const output = (name: string, shape: number[], activation: OutputInfo['activation'] = 'softmax'): OutputInfo => ({ name, shape, activation });
const meta = (outputs: OutputInfo[]) => ({ network: 'N', inputs: [{ name: 'image', shape: [4, 4, 1] }], outputs }) as never;

test('the weighted sum adds deep supervision on a smaller output, its mask resized by nearest neighbour', () => {
  const outputs = [output('mask', [4, 4, 2]), output('aux', [2, 2, 2])];
  const terms = [term('crossentropy'), term('crossentropy', { output: 'aux', weight: 0.4 })];
  const task = describeTask(meta(outputs), outputs, terms);
  tf.tidy(() => {
    const labels = tf.tensor3d([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1], [1, 4, 4], 'int32');
    const mask = tf.softmax(tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 1));
    const aux = tf.softmax(tf.randomNormal([1, 2, 2, 2], 0, 1, 'float32', 2));
    const auxTarget = targetFor(labels, outputs[1]!, 2, false);
    assert.equal(Array.from(tf.argMax(auxTarget, -1).dataSync()), [1, 0, 0, 1]);
    const separately = value(crossentropy(mask, tf.oneHot(labels, 2), 'softmax', terms[0]!, true)) + 0.4 * value(crossentropy(aux, auxTarget, 'softmax', terms[1]!, true));
    close(value(buildLoss(terms, task)({ mask, aux }, labels)), separately);
  });
});

test('outputs that do not fit the loss are refused (GN0806)', () => {
  const sigmoid = [output('p', [1], 'sigmoid')];
  throwsGnet(() => describeTask(meta(sigmoid), sigmoid, [term('crossentropy')]), 'GN0806', 'crossentropy', 'binary_crossentropy');
  const flat = [output('p', [4, 4])];
  throwsGnet(() => describeTask(meta(flat), flat, [term('crossentropy')]), 'GN0806', '[4×4]', '[classes]');
  const two = [output('mask', [4, 4, 2]), output('scores', [3])];
  throwsGnet(() => describeTask(meta(two), two, [term('crossentropy'), term('crossentropy', { output: 'scores' })]), 'GN0806', 'scores', 'same task');
  throwsGnet(() => describeTask(meta(two), two, [term('dice', { output: 'edges' })]), 'GN0806', '`edges`', 'mask, scores');
  const big = [output('mask', [8, 8, 2])];
  throwsGnet(() => describeTask(meta(big), big, [term('crossentropy')]), 'GN0806', 'larger than the input');
});

test('a binary output (one sigmoid channel) is a 2-class task with a 0/1 target', () => {
  const single = [output('p', [4, 4, 1], 'sigmoid')];
  const task = describeTask(meta(single), single, [term('binary_crossentropy'), term('dice')]);
  assert.equal([task.task, task.classes], ['segmentation', 2]);
  tf.tidy(() => {
    const target = targetFor(tf.tensor3d(new Array(16).fill(1), [1, 4, 4], 'int32'), single[0]!, 2, true);
    assert.equal(target.shape, [1, 4, 4, 1]);
    assert.equal(Array.from(predictedClasses(tf.tensor4d([0.2, 0.9], [1, 1, 2, 1]), 'sigmoid').dataSync()), [0, 1]);
  });
});

test('accuracy, per-class IoU, mean IoU and Dice from a confusion matrix', () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 1, 1, 2, 0, 2];
  const confusion = emptyConfusion(3);
  addToConfusion(confusion, truth, predicted);
  // Class 0: TP 2, FP 1, FN 1 → IoU 2/4; class 1: TP 2, FP 1, FN 0 → 2/3; class 2: TP 2, FP 0, FN 1 → 2/3.
  const metrics = computeMetrics(['accuracy', 'iou', 'miou', 'dice'], confusion, true);
  close(metrics.accuracy as number, 6 / 8);
  assert.equal(metrics.iou, [2 / 4, 2 / 3, 2 / 3]);
  close(metrics.miou as number, (2 / 4 + 2 / 3 + 2 / 3) / 3);
  close(metrics.dice as number, (4 / 5 + 4 / 5) / 2);
  const absent = emptyConfusion(3);
  addToConfusion(absent, [0, 1], [0, 1]);
  assert.equal(computeMetrics(['iou'], absent, true).iou, [1, 1, null]);
});

test.run();
