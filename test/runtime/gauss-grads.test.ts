import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gaussConv2d, type GaussConfig, type GaussWeights } from '../../runtime/index.js';
import { inputTensor, layerReference, randomNumbers, toWeights, type LayerCase, type LayerNumbers } from './layer-reference.js';
import { lcg } from './reference.js';

await tf.setBackend('cpu');

/**
 * Gradients of loss = Σ out ⊙ R from tf.grads (float32) against central differences of the float64
 * reference layer (step 1e-5, so the difference quotient itself is exact to ~1e-9).
 */
const STEP = 1e-5;

function upstreamFor(size: number, seed: number): number[] {
  const rand = lcg(seed);
  return Array.from({ length: size }, () => rand() * 2 - 1);
}

/** Copy of the numbers with one weight element moved by delta; names and flat indices follow the tensors' layouts. */
function perturb(c: LayerCase, n: LayerNumbers, name: string, index: number, delta: number): LayerNumbers {
  const copy: LayerNumbers = { ...n, kernels: n.kernels.map((basis) => basis.map((k) => ({ ...k }))), omega: [...n.omega], beta: [...n.beta], lambda: [...n.lambda], bias: [...n.bias] };
  const count = n.kernels[0].length;
  const axes = c.config.isotropic ? 1 : 2;
  if (name === 'sigma' || name === 'mu') {
    const per = name === 'sigma' ? axes : 2;
    const kernel = Math.floor(index / per);
    const k = copy.kernels[Math.floor(kernel / count)][kernel % count] as { sigma1: number; sigma2: number; mu1: number; mu2: number };
    const axis = index % per;
    if (name === 'mu') k[axis === 0 ? 'mu1' : 'mu2'] += delta;
    else if (c.config.isotropic) (k.sigma1 += delta), (k.sigma2 += delta);
    else k[axis === 0 ? 'sigma1' : 'sigma2'] += delta;
  } else if (name === 'theta') {
    (copy.kernels[Math.floor(index / count)][index % count] as { theta: number }).theta += delta;
  } else {
    (copy as unknown as Record<string, number[]>)[name][index] += delta;
  }
  return copy;
}

function checkGradients(c: LayerCase, seed: number): void {
  const numbers = randomNumbers(c, seed);
  const weights = toWeights(c, numbers);
  const x = inputTensor(c, numbers);
  const names = Object.keys(weights) as (keyof GaussWeights)[];
  const reference = layerReference(c, numbers);
  const upstream = upstreamFor(reference.length, seed + 1);
  const loss = (n: LayerNumbers): number => layerReference(c, n).reduce((sum, v, i) => sum + v * upstream[i], 0);

  const grads = tf.tidy(() => {
    const r = tf.tensor(upstream);
    const f = (...values: tf.Tensor[]): tf.Scalar => {
      const w = Object.fromEntries(names.map((name, i) => [name, values[i]])) as unknown as GaussWeights;
      return tf.sum(tf.mul(tf.reshape(gaussConv2d(x, w, c.config), [-1]), r));
    };
    return tf.grads(f)(names.map((name) => weights[name]!)).map((g) => Array.from(g.dataSync()));
  });

  names.forEach((name, w) => {
    grads[w].forEach((analytic, i) => {
      const numeric = (loss(perturb(c, numbers, name, i, STEP)) - loss(perturb(c, numbers, name, i, -STEP))) / (2 * STEP);
      const tolerance = 2e-4 * Math.max(1, Math.abs(numeric));
      assert.ok(Math.abs(analytic - numeric) <= tolerance, `${c.config.lowering} d/d${name}[${i}]: ${analytic} vs ${numeric}`);
    });
  });
  tf.dispose([x, ...Object.values(weights)]);
}

const base: GaussConfig = { order: 2, bases: 2, size: [3, 3], stride: [1, 1], padding: 'same', mix: 'full', isotropic: false, lowering: 'combined' };
const layer = (config: Partial<GaussConfig>, bias = false): LayerCase => ({ batch: 1, height: 5, width: 4, fIn: 2, fOut: 4, config: { ...base, ...config }, bias });

test('full mix, combined lowering: d/dσ, μ, θ, ω, bias match finite differences', () => {
  checkGradients(layer({}, true), 1);
});

test('full mix, basis-first lowering, stride 2 and a 3×5 kernel', () => {
  checkGradients(layer({ lowering: 'basis-first', stride: [2, 2], size: [3, 5] }), 2);
});

test('separated mix: d/dσ, μ, θ, β, λ match finite differences', () => {
  checkGradients(layer({ mix: 'separated', lowering: 'separated', order: 1, padding: 'valid' }, true), 3);
});

test('isotropic σ, order 3: one σ per kernel receives both axes\' gradient', () => {
  checkGradients(layer({ order: 3, isotropic: true, bases: 1, padding: [1, 0] }), 4);
});

test.run();
