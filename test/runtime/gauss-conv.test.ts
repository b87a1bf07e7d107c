import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gaussConv2d, gaussDeploy, GnetError, type GaussConfig, type GaussLowering } from '../../runtime/index.js';
import { padForConv } from '../../runtime/padding.js';
import { inputTensor, layerReference, randomNumbers, toWeights, type LayerCase } from './layer-reference.js';
import { maxAbs, maxAbsDiff } from './reference.js';

await tf.setBackend('cpu');

const base: GaussConfig = { order: 2, bases: 2, size: [5, 5], stride: [1, 1], padding: 'same', mix: 'full', isotropic: false, lowering: 'combined' };
const layer = (config: Partial<GaussConfig>, bias = false, fOut = 4): LayerCase => ({ batch: 2, height: 7, width: 6, fIn: 3, fOut, config: { ...base, ...config }, bias });

function runLayer(c: LayerCase, lowering: GaussLowering, seed: number): { out: Float32Array; shape: number[] } {
  const numbers = randomNumbers(c, seed);
  return tf.tidy(() => {
    const y = gaussConv2d(inputTensor(c, numbers), toWeights(c, numbers), { ...c.config, lowering });
    return { out: y.dataSync() as Float32Array, shape: y.shape };
  });
}

function runDeployed(c: LayerCase, seed: number): Float32Array {
  const numbers = randomNumbers(c, seed);
  return tf.tidy(() => {
    const { kernel, bias } = gaussDeploy(toWeights(c, numbers), c.config);
    assert.equal(kernel.shape, [c.config.size[0], c.config.size[1], c.fIn, c.fOut]);
    const { input, pad } = padForConv(inputTensor(c, numbers), c.config.padding);
    const y = tf.conv2d(input, kernel, [c.config.stride[0], c.config.stride[1]], pad);
    return (bias ? tf.add(y, bias) : y).dataSync() as Float32Array;
  });
}

/** Every lowering valid for the case, and the deployed conv, equal the float64 reference to 1e-4 of its scale. */
function checkCase(c: LayerCase, seed: number): void {
  const expected = layerReference(c, randomNumbers(c, seed));
  const tolerance = 1e-4 * Math.max(1, maxAbs(expected));
  const lowerings: GaussLowering[] = c.config.mix === 'full' ? ['combined', 'basis-first'] : ['separated', 'combined', 'basis-first'];
  for (const lowering of lowerings) {
    const { out } = runLayer(c, lowering, seed);
    assert.ok(maxAbsDiff(out, expected) <= tolerance, `${lowering} ${JSON.stringify(c.config)}: ${maxAbsDiff(out, expected)}`);
  }
  assert.ok(maxAbsDiff(runDeployed(c, seed), expected) <= tolerance, `deployed ${JSON.stringify(c.config)}`);
}

test('full mix: combined = basis-first = deployed = reference (same padding, bias)', () => {
  checkCase(layer({}, true), 1);
});

test('full mix: stride 2, valid padding, non-square 3×5 kernel, order 3', () => {
  checkCase(layer({ stride: [2, 2], padding: 'valid', size: [3, 5], order: 3 }), 2);
});

test('full mix: stride [1, 2], explicit padding [2, 1], isotropic, one basis', () => {
  checkCase(layer({ stride: [1, 2], padding: [2, 1], isotropic: true, bases: 1, order: 1 }), 3);
});

test('separated mix: separated = combined = basis-first = deployed = reference', () => {
  checkCase(layer({ mix: 'separated', lowering: 'separated' }, true, 6), 4);
});

test('separated mix: stride 2, same padding on odd sizes, 5×3 kernel, order 4', () => {
  checkCase(layer({ mix: 'separated', lowering: 'separated', stride: [2, 2], size: [5, 3], order: 4, bases: 2 }), 5);
});

test('output shape follows TF same/valid rules', () => {
  assert.equal(runLayer(layer({ stride: [2, 2] }), 'combined', 6).shape, [2, 4, 3, 4]);
  assert.equal(runLayer(layer({ padding: 'valid', size: [3, 5] }), 'basis-first', 6).shape, [2, 5, 2, 4]);
});

function errorCode(f: () => unknown): string | undefined {
  try {
    tf.tidy(() => void f());
  } catch (e) {
    return e instanceof GnetError ? e.code : String(e);
  }
  return undefined;
}

test('wrong weights or lowering raise GnetError with a code', () => {
  const c = layer({});
  const numbers = randomNumbers(c, 7);
  const x = inputTensor(c, numbers);
  const weights = toWeights(c, numbers);
  assert.is(errorCode(() => gaussConv2d(x, weights, c.config)), undefined);
  assert.is(errorCode(() => gaussConv2d(x, weights, { ...c.config, lowering: 'separated' })), 'GN9014');
  assert.is(errorCode(() => gaussConv2d(x, { ...weights, omega: undefined }, c.config)), 'GN9011');
  assert.is(errorCode(() => gaussConv2d(x, { ...weights, omega: tf.zeros([2, 2, 2, 6]) }, c.config)), 'GN9011');
  assert.is(errorCode(() => gaussConv2d(x, { ...weights, beta: tf.zeros([2, 3, 6]) }, c.config)), 'GN9013');
  assert.is(errorCode(() => gaussConv2d(x, { ...weights, bias: tf.zeros([3]) }, c.config)), 'GN9011');
  assert.is(errorCode(() => gaussConv2d(x, weights, { ...c.config, bases: 3 })), 'GN9011');
  tf.dispose([x, ...Object.values(weights)]);
});

test('gaussConv2d and gaussDeploy leak no tensors', () => {
  const c = layer({ mix: 'separated', lowering: 'separated' }, true);
  const numbers = randomNumbers(c, 8);
  const x = inputTensor(c, numbers);
  const weights = toWeights(c, numbers);
  const before = tf.memory().numTensors;
  gaussConv2d(x, weights, c.config).dispose();
  const deployed = gaussDeploy(weights, c.config);
  tf.dispose([deployed.kernel, deployed.bias!]);
  assert.is(tf.memory().numTensors, before);
  tf.dispose([x, ...Object.values(weights)]);
});

test.run();
