/**
 * The dau block (displaced aggregation units, Tabernik et al. 2018) against its formulation: parameter
 * counts recomputed from it (per input–output filter K units, each a weight, a 2-D position and a σ),
 * the kernel against a direct evaluation of the normalised Gaussian sum, and its two diagnostics.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dauKernel } from '../../runtime/index.js';
import { runBlock } from './harness.js';

await tf.setBackend('cpu');

/** Tabernik et al.: filter (i, o) = Σ_k w_k G(μ_k, σ_k); here 4 numbers per unit, σ per unit when learned. */
function tabernikCount(fIn: number, fOut: number, units: number, options: { learnedSigma?: boolean; bias?: boolean } = {}) {
  const perUnit = 1 + 2 + (options.learnedSigma === false ? 0 : 1);
  return { trainable: fIn * fOut * units * perUnit + (options.bias ? fOut : 0), nonTrainable: options.learnedSigma === false ? fIn * fOut * units : 0 };
}

test('parameters: per input and output channel, `units` units of a weight, a position (row, column) and a σ', () => {
  for (const [fIn, fOut, units] of [[1, 16, 10], [16, 32, 10], [3, 5, 2]] as const) {
    const run = runBlock('dau', { filters: fOut, units }, [[28, 28, fIn]]);
    assert.equal(run.out, [28, 28, fOut]);
    assert.equal({ trainable: run.trainable, nonTrainable: run.nonTrainable }, tabernikCount(fIn, fOut, units));
  }
  const frozen = runBlock('dau', { filters: 8, units: 3, train_sigma: false, bias: true }, [[9, 9, 4]]);
  assert.equal({ trainable: frozen.trainable, nonTrainable: frozen.nonTrainable }, tabernikCount(4, 8, 3, { learnedSigma: false, bias: true }));
});

test('initialisers: weights N(0, 0.1²) as DAU-ConvNet, positions within a quarter window of the centre, σ = sigma_init ≥ 0.2', () => {
  const byName = Object.fromEntries(runBlock('dau', { filters: 4, size: 7, sigma_init: 0.8 }, [[9, 9, 2]]).weights.map((w) => [w.name, w]));
  assert.equal(byName['weight']!.init, { kind: 'normal', std: 0.1 });
  assert.equal(byName['mu']!.init, { kind: 'uniform', min: -1.5, max: 1.5 });
  assert.equal(byName['mu']!.shape, [2, 4, 10, 2]);
  assert.equal(byName['sigma']!.init, { kind: 'constant', value: 0.8 });
  assert.is(byName['sigma']!.minValue, 0.2);
  assert.equal([byName['mu']!.decays, byName['sigma']!.decays], [false, false]);
});

test('the kernel is Σ_k w_k · G(x − μ_k; σ_k) / Σ_x G(x − μ_k; σ_k) on the window centred on 0 (rows, then columns)', () => {
  const [fIn, fOut, units, kh, kw] = [2, 3, 4, 5, 3];
  const rand = (n: number, lo: number, hi: number, seed: number) => Array.from({ length: n }, (_, i) => lo + (hi - lo) * ((Math.sin(seed * 97 + i * 13.7) + 1) / 2));
  const w = rand(fIn * fOut * units, -1, 1, 1);
  const mu = rand(fIn * fOut * units * 2, -2, 2, 2);
  const sigma = rand(fIn * fOut * units, 0.3, 1.5, 3);
  const kernel = dauKernel({ weight: tf.tensor3d(w, [fIn, fOut, units]), mu: tf.tensor4d(mu, [fIn, fOut, units, 2]), sigma: tf.tensor3d(sigma, [fIn, fOut, units]) }, [kh, kw]);
  assert.equal(kernel.shape, [kh, kw, fIn, fOut]);
  const got = kernel.arraySync();
  let worst = 0;
  for (let i = 0; i < fIn; i++) {
    for (let o = 0; o < fOut; o++) {
      const expected = Array.from({ length: kh }, () => new Array<number>(kw).fill(0));
      for (let k = 0; k < units; k++) {
        const u = (i * fOut + o) * units + k;
        const g = (r: number, c: number) => Math.exp(-((r - (kh - 1) / 2 - mu[2 * u]!) ** 2 + (c - (kw - 1) / 2 - mu[2 * u + 1]!) ** 2) / (2 * sigma[u]! ** 2));
        let total = 0;
        for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) total += g(r, c);
        for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) expected[r]![c]! += (w[u]! * g(r, c)) / total;
      }
      for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) worst = Math.max(worst, Math.abs(got[r]![c]![i]![o]! - expected[r]![c]!));
    }
  }
  assert.ok(worst < 1e-5, `worst ${worst}`);
});

test('a unit far outside the window stays finite: its blob is the nearest border pixel', () => {
  const kernel = dauKernel({ weight: tf.tensor3d([2], [1, 1, 1]), mu: tf.tensor4d([0, 40], [1, 1, 1, 2]), sigma: tf.tensor3d([0.2], [1, 1, 1]) }, [3, 3]);
  const values = Array.from(kernel.dataSync());
  const expected = [0, 0, 0, 0, 0, 2, 0, 0, 0];
  assert.ok(values.every((v, i) => Number.isFinite(v) && Math.abs(v - expected[i]!) < 1e-4), `${values}`);
});

test('GN0316 on a volume, GN0317 for an even window, each with the fix', () => {
  const volume = runBlock('dau', { filters: 4 }, [[8, 8, 8, 1]]);
  assert.equal(volume.reported.map((r) => r.code), ['GN0316']);
  assert.match(volume.reported[0]!.help ?? '', /gauss \(order = 0\)/);
  const even = runBlock('dau', { filters: 4, size: [4, 5] }, [[8, 8, 1]]);
  assert.equal(even.reported.map((r) => [r.code, r.help]), [['GN0317', 'use size = [3, 5] or size = 5']]);
});

test.run();
