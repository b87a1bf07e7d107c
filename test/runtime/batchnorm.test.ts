import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchNorm, fixedBatchNorm } from '../../runtime/index.js';
import { lcg, maxAbsDiff } from './reference.js';

await tf.setBackend('cpu');

const shape = [2, 2, 3, 3] as const; // N, H, W, C
const channels = shape[3];
const rand = lcg(5);
const xs = Array.from({ length: 36 }, () => rand() * 4 - 1);
const gammaValues = [1.5, 0.5, -1];
const betaValues = [0.1, -0.2, 0.3];

/** Per-channel batch mean and biased variance, in plain numbers. */
function channelStats(): { mean: number[]; variance: number[] } {
  const mean = [0, 1, 2].map((c) => xs.filter((_, i) => i % channels === c).reduce((a, b) => a + b, 0) / 12);
  const variance = [0, 1, 2].map((c) => xs.filter((_, i) => i % channels === c).reduce((a, v) => a + (v - mean[c]) ** 2, 0) / 12);
  return { mean, variance };
}

function weights(): { gamma: tf.Tensor1D; beta: tf.Tensor1D; movingMean: tf.Variable; movingVariance: tf.Variable } {
  return { gamma: tf.tensor1d(gammaValues), beta: tf.tensor1d(betaValues), movingMean: tf.variable(tf.tensor1d([0.5, 0, -0.5])), movingVariance: tf.variable(tf.tensor1d([1, 2, 0.5])) };
}

test('training normalises with batch statistics and updates the moving ones (Keras momentum)', () => {
  const w = weights();
  const { mean, variance } = channelStats();
  const y = batchNorm(tf.tensor4d(xs, [...shape]), w, true, 0.9, 1e-3);
  const expected = xs.map((v, i) => ((v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3)) * gammaValues[i % 3] + betaValues[i % 3]);
  assert.ok(maxAbsDiff(y.dataSync(), expected) < 1e-5);
  assert.ok(maxAbsDiff(w.movingMean.dataSync(), [0.5, 0, -0.5].map((m, c) => m * 0.9 + mean[c] * 0.1)) < 1e-6);
  assert.ok(maxAbsDiff(w.movingVariance.dataSync(), [1, 2, 0.5].map((m, c) => m * 0.9 + variance[c] * 0.1)) < 1e-6);
});

test('inference uses the moving statistics and leaves them unchanged', () => {
  const w = weights();
  const y = batchNorm(tf.tensor4d(xs, [...shape]), w, false, 0.9, 1e-3);
  const mm = [0.5, 0, -0.5];
  const mv = [1, 2, 0.5];
  const expected = xs.map((v, i) => ((v - mm[i % 3]) / Math.sqrt(mv[i % 3] + 1e-3)) * gammaValues[i % 3] + betaValues[i % 3]);
  assert.ok(maxAbsDiff(y.dataSync(), expected) < 1e-5);
  assert.equal(Array.from(w.movingMean.dataSync()), mm);
});

test('training gradients: dγ = Σ x̂ · dy and dβ = Σ dy per channel', () => {
  const w = weights();
  const { mean, variance } = channelStats();
  const up = xs.map((_, i) => ((i * 7) % 5) - 2);
  const [dGamma, dBeta] = tf.grads((g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(batchNorm(tf.tensor4d(xs, [...shape]), { ...w, gamma: g as tf.Tensor1D, beta: b as tf.Tensor1D }, true, 0.99, 1e-3), tf.tensor4d(up, [...shape]))),
  )([w.gamma, w.beta]);
  const normalised = xs.map((v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3));
  const perChannel = (f: (i: number) => number): number[] => [0, 1, 2].map((c) => xs.reduce((s, _, i) => s + (i % 3 === c ? f(i) : 0), 0));
  assert.ok(maxAbsDiff(dGamma.dataSync(), perChannel((i) => normalised[i] * up[i])) < 1e-4);
  assert.ok(maxAbsDiff(dBeta.dataSync(), perChannel((i) => up[i])) < 1e-4);
});

test('the step warms the moving statistics up: step 0 takes the batch, step 1 averages, later the momentum', () => {
  const { mean, variance } = channelStats();
  const at = (step: number) => {
    const w = weights();
    batchNorm(tf.tensor4d(xs, [...shape]), w, true, 0.9, 1e-3, step);
    return { mean: Array.from(w.movingMean.dataSync()), variance: Array.from(w.movingVariance.dataSync()) };
  };
  assert.ok(maxAbsDiff(at(0).mean, mean) < 1e-6 && maxAbsDiff(at(0).variance, variance) < 1e-6);
  assert.ok(maxAbsDiff(at(1).variance, [1, 2, 0.5].map((m, c) => (m + variance[c]!) / 2)) < 1e-6);
  assert.ok(maxAbsDiff(at(50).variance, [1, 2, 0.5].map((m, c) => m * 0.9 + variance[c]! * 0.1)) < 1e-6);
});

test('fixed statistics (the paper\'s Table 1): μ = 0 and √(σ² + ε) = 1 exactly, so the block is γ·x + β, or x + β without γ', () => {
  const x = tf.tensor4d(xs, [...shape]);
  const withScale = fixedBatchNorm(x, { gamma: tf.tensor1d(gammaValues), beta: tf.tensor1d(betaValues) });
  // 1e-6 tells it from dividing by √(1 + ε) with the default ε = 1e-3 (a change of 5e-4 relative).
  assert.ok(maxAbsDiff(withScale.dataSync(), xs.map((v, i) => v * gammaValues[i % 3]! + betaValues[i % 3]!)) < 1e-6);
  const shiftOnly = fixedBatchNorm(x, { beta: tf.tensor1d(betaValues) });
  assert.ok(maxAbsDiff(shiftOnly.dataSync(), xs.map((v, i) => v + betaValues[i % 3]!)) < 1e-6);
});

test('without γ (scale = false) the normalised values are only shifted by β, in training and inference', () => {
  const { gamma: _unused, ...w } = weights();
  const { mean, variance } = channelStats();
  const trained = batchNorm(tf.tensor4d(xs, [...shape]), w, true, 0.9, 1e-3);
  assert.ok(maxAbsDiff(trained.dataSync(), xs.map((v, i) => (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-3) + betaValues[i % 3])) < 1e-5);
  const mm = Array.from(w.movingMean.dataSync());
  const mv = Array.from(w.movingVariance.dataSync());
  const inferred = batchNorm(tf.tensor4d(xs, [...shape]), w, false, 0.9, 1e-3);
  assert.ok(maxAbsDiff(inferred.dataSync(), xs.map((v, i) => (v - mm[i % 3]) / Math.sqrt(mv[i % 3] + 1e-3) + betaValues[i % 3])) < 1e-5);
});

test.run();
