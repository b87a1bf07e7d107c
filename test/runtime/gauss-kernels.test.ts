import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { basisOrders, GnetError, gaussKernels } from '../../runtime/index.js';
import { hermiteCoefficients } from '../../runtime/gauss/hermite.js';
import { factorial, gaussian, hermite, kernelBank, kernelCoordinates, lcg, maxAbs, maxAbsDiff, orderPairs, type KernelParams } from './reference.js';

await tf.setBackend('cpu');

function randomParams(bases: number, count: number, seed: number, isotropic = false): KernelParams[][] {
  const rand = lcg(seed);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  return Array.from({ length: bases }, () =>
    Array.from({ length: count }, () => {
      const sigma1 = u(0.5, 2);
      return { sigma1, sigma2: isotropic ? sigma1 : u(0.5, 2), mu1: u(-1, 1), mu2: u(-1, 1), theta: u(-Math.PI, Math.PI) };
    }),
  );
}

function runtimeBank(params: KernelParams[][], order: number, size: [number, number], isotropic = false): Float32Array {
  const flat = params.flat();
  const [bases, count] = [params.length, params[0].length];
  return tf.tidy(() => {
    const sigma = tf.tensor3d(flat.flatMap((k) => (isotropic ? [k.sigma1] : [k.sigma1, k.sigma2])), [bases, count, isotropic ? 1 : 2]);
    const mu = tf.tensor3d(flat.flatMap((k) => [k.mu1, k.mu2]), [bases, count, 2]);
    const theta = tf.tensor3d(flat.map((k) => k.theta), [bases, count, 1]);
    const bank = gaussKernels(sigma, mu, theta, order, size);
    assert.equal(bank.shape, [size[0], size[1], bases, count]);
    return bank.dataSync() as Float32Array;
  });
}

test('basis order follows docs/gauss-layer.md §2 and has (K+1)(K+2)/2 kernels', () => {
  for (let order = 0; order <= 4; order++) {
    const orders = basisOrders(order).map(({ p, q }) => [p, q]);
    assert.equal(orders, orderPairs(order));
    assert.is(orders.length, ((order + 1) * (order + 2)) / 2);
  }
  assert.equal(basisOrders(1).map(({ p, q }) => [p, q]), [[0, 0], [0, 1], [1, 0]]);
});

test('Hermite coefficients from the recurrence equal the explicit sum', () => {
  const table = hermiteCoefficients(6);
  for (let p = 0; p <= 6; p++) {
    for (const t of [-2.3, -0.7, 0, 0.4, 1.9]) {
      const fromTable = table[p].reduce((sum, c, k) => sum + c * t ** k, 0);
      assert.ok(Math.abs(fromTable - hermite(p, t)) <= 1e-9 * Math.max(1, Math.abs(hermite(p, t))), `H_${p}(${t})`);
    }
  }
  assert.is(factorial(5), 120);
});

test('kernels match the closed form for orders 0–4 (anisotropic, rotated, shifted)', () => {
  for (let order = 0; order <= 4; order++) {
    for (const size of [[7, 7], [5, 9]] as [number, number][]) {
      const params = randomParams(3, orderPairs(order).length, 11 + order);
      const expected = kernelBank(params, order, size[0], size[1]);
      const actual = runtimeBank(params, order, size);
      const tolerance = 1e-5 * Math.max(1, maxAbs(expected));
      assert.ok(maxAbsDiff(actual, expected) <= tolerance, `order ${order} size ${size}: ${maxAbsDiff(actual, expected)}`);
    }
  }
});

test('isotropic sigma [B, Nk, 1] uses one σ on both axes', () => {
  const params = randomParams(2, 6, 5, true);
  const expected = kernelBank(params, 2, 5, 5);
  assert.ok(maxAbsDiff(runtimeBank(params, 2, [5, 5], true), expected) <= 1e-5 * Math.max(1, maxAbs(expected)));
});

test('small σ (the 0.2 floor) and order 4 stay accurate relative to the peak', () => {
  const params = [[0.2, 0.2, 0.25, 0.3, 0.2, 0.22, 0.2, 0.3, 0.2, 0.21, 0.2, 0.2, 0.23, 0.2, 0.2].map((sigma, n) => ({ sigma1: sigma, sigma2: 0.2 + n * 0.01, mu1: 0.1 * (n % 3), mu2: -0.05 * n, theta: 0.3 * n }))];
  const expected = kernelBank(params, 4, 7, 7);
  assert.ok(maxAbsDiff(runtimeBank(params, 4, [7, 7]), expected) <= 1e-5 * maxAbs(expected));
});

test('x1 runs along the width: the (p=1, q=0) kernel at θ = 0 falls from left to right', () => {
  const params = [[0, 1, 2].map(() => ({ sigma1: 1, sigma2: 1, mu1: 0, mu2: 0, theta: 0 }))];
  const bank = runtimeBank(params, 1, [3, 5]);
  const at = (r: number, c: number, n: number): number => bank[(r * 5 + c) * 3 + n];
  // n = 2 is (p, q) = (1, 0): −x1/σ² · G, positive left of centre, negative right of it, equal down a column.
  assert.ok(at(1, 0, 2) > 0 && at(1, 4, 2) < 0);
  assert.ok(Math.abs(at(0, 3, 2) - at(2, 3, 2)) < 1e-7);
  // n = 1 is (0, 1): varies down the rows instead.
  assert.ok(at(0, 2, 1) > 0 && at(2, 2, 1) < 0);
});

/** Central-difference stencil of the n-th derivative with step h: Σ_k (−1)^k C(n,k) f(y + (n/2 − k)h) / h^n. */
function stencil(n: number, h: number): { offset: number; weight: number }[] {
  return Array.from({ length: n + 1 }, (_, k) => ({ offset: (n / 2 - k) * h, weight: ((-1) ** k * factorial(n)) / (factorial(k) * factorial(n - k) * h ** n) }));
}

test('each kernel is the (p, q)-th derivative of the rotated, shifted Gaussian (finite differences)', () => {
  const order = 4;
  const pairs = orderPairs(order);
  const params = randomParams(1, pairs.length, 23);
  const bank = runtimeBank(params, order, [5, 5]);
  const h = 0.02;
  pairs.forEach(([p, q], n) => {
    const k = params[0][n];
    const values: number[] = [];
    const numeric: number[] = [];
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        const [y1, y2] = kernelCoordinates(k, c - 2, r - 2);
        let derivative = 0;
        for (const a of stencil(p, h)) for (const b of stencil(q, h)) derivative += a.weight * b.weight * gaussian(y1 + a.offset, k.sigma1) * gaussian(y2 + b.offset, k.sigma2);
        numeric.push(derivative);
        values.push(bank[(r * 5 + c) * pairs.length + n]);
      }
    }
    assert.ok(maxAbsDiff(values, numeric) <= 2e-3 * maxAbs(numeric), `(p, q) = (${p}, ${q}): ${maxAbsDiff(values, numeric)} of ${maxAbs(numeric)}`);
  });
});

test('misshapen parameters raise GN9011', () => {
  const sigma = tf.ones([2, 3, 2]);
  const mu = tf.zeros([2, 3, 2]);
  const theta = tf.zeros([2, 3, 1]);
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof GnetError ? e.code : 'other';
    }
    return undefined;
  };
  assert.is(code(() => gaussKernels(sigma, mu, theta, 1, [3, 3])), undefined);
  assert.is(code(() => gaussKernels(sigma, mu, theta, 2, [3, 3])), 'GN9011');
  assert.is(code(() => gaussKernels(tf.ones([2, 3, 3]), mu, theta, 1, [3, 3])), 'GN9011');
  assert.is(code(() => gaussKernels(sigma, mu, tf.zeros([2, 3]), 1, [3, 3])), 'GN9011');
  assert.is(code(() => gaussKernels(sigma, mu, theta, -1, [3, 3])), 'GN9010');
  tf.dispose([sigma, mu, theta]);
});

test('building kernels leaks no tensors', () => {
  const params = randomParams(2, 6, 3);
  runtimeBank(params, 2, [3, 3]);
  const before = tf.memory().numTensors;
  runtimeBank(params, 2, [3, 3]);
  assert.is(tf.memory().numTensors, before);
});

test.run();
