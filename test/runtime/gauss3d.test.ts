/**
 * The volume gauss layer (docs/gauss-layer.md §10) against independent float64 computations: the
 * kernel bank against the rotation matrices multiplied out and the explicit Hermite sum; the kernels
 * against finite differences of the Gaussian (they are its analytic derivatives); antisymmetry;
 * an axis kernel turned by θ2 = π/2 onto another axis; the image layer as the θ2 = θ3 = 0 slice; and
 * the layer through every lowering against a float64 convolution with the reference kernels, with
 * gradients that agree between lowerings.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rt from '../../runtime/index.js';
import type { Gauss3dConfig, GaussLowering3d, GaussWeights } from '../../runtime/index.js';
import { gaussian, lcg, maxAbs, maxAbsDiff } from './reference.js';
import { volumeDegrees, volumeKernelBank, volumeKernelValue, type VolumeKernelParams } from './gauss3d-reference.js';
import { conv3dRef, volume } from './volume-reference.js';

await tf.setBackend('cpu');

type Triple = [number, number, number];

function randomParams(bases: number, count: number, seed: number, options: { isotropic?: boolean; unrotated?: boolean } = {}): VolumeKernelParams[][] {
  const rand = lcg(seed);
  const u = (a: number, b: number) => a + (b - a) * rand();
  return Array.from({ length: bases }, () =>
    Array.from({ length: count }, () => {
      const s = u(0.6, 1.8);
      return {
        sigma: options.isotropic ? [s, s, s] : [s, u(0.6, 1.8), u(0.6, 1.8)],
        mu: [u(-0.8, 0.8), u(-0.8, 0.8), u(-0.8, 0.8)],
        theta: options.unrotated ? [0, 0, 0] : [u(-Math.PI, Math.PI), u(-Math.PI, Math.PI), u(-Math.PI, Math.PI)],
      };
    }),
  );
}

/** σ [B, Nk, 3 | 1], μ [B, Nk, 3], θ [B, Nk, 3] tensors of the parameters. */
function geometry(params: VolumeKernelParams[][], isotropic = false) {
  const [bases, count] = [params.length, params[0]!.length];
  const flat = (pick: (k: VolumeKernelParams) => readonly number[]) => params.flatMap((basis) => basis.flatMap(pick));
  return {
    sigma: tf.tensor3d(flat((k) => (isotropic ? [k.sigma[0]] : k.sigma)), [bases, count, isotropic ? 1 : 3]),
    mu: tf.tensor3d(flat((k) => k.mu), [bases, count, 3]),
    theta: tf.tensor3d(flat((k) => k.theta), [bases, count, 3]),
  };
}

for (const [order, size, isotropic] of [[0, [3, 3, 3], false], [1, [3, 5, 7], false], [2, [5, 5, 5], true], [3, [5, 3, 5], false]] as const) {
  test(`kernel bank, order ${order}, ${size.join('×')}${isotropic ? ', isotropic' : ''}: the float64 reference`, () => {
    const params = randomParams(2, volumeDegrees(order).length, 10 + order, { isotropic });
    const { sigma, mu, theta } = geometry(params, isotropic);
    const got = rt.gaussKernels3d(sigma, mu, theta, order, size);
    assert.equal(got.shape, [...size, 2, volumeDegrees(order).length]);
    const expected = volumeKernelBank(params, order, size);
    assert.ok(maxAbsDiff(got.dataSync(), expected) < 1e-5 * Math.max(1, maxAbs(expected)), `${maxAbsDiff(got.dataSync(), expected)}`);
  });
}

test('the kernels are the analytic derivatives of the Gaussian (central finite differences, unrotated, unshifted)', () => {
  const sigma: Triple = [1.1, 0.8, 1.4];
  const params = [volumeDegrees(2).map(() => ({ sigma, mu: [0, 0, 0] as Triple, theta: [0, 0, 0] as Triple }))];
  const { sigma: s, mu, theta } = geometry(params);
  const bank = rt.gaussKernels3d(s, mu, theta, 2, [5, 5, 5]).dataSync();
  const g = (x: readonly number[]) => gaussian(x[0]!, sigma[0]) * gaussian(x[1]!, sigma[1]) * gaussian(x[2]!, sigma[2]);
  const step = 1e-3;
  /** ∂^(p+q+r) g / ∂x1^p ∂x2^q ∂x3^r by nested central differences. */
  const derivative = (degrees: readonly number[], x: readonly number[]): number => {
    const axis = degrees.findIndex((d) => d > 0);
    if (axis < 0) return g(x);
    const lower = degrees.map((d, i) => (i === axis ? d - 1 : d));
    const at = (delta: number) => derivative(lower, x.map((v, i) => (i === axis ? v + delta : v)));
    return (at(step) - at(-step)) / (2 * step);
  };
  volumeDegrees(2).forEach((degrees, n) => {
    let worst = 0;
    for (let cell = 0; cell < 125; cell++) {
      const x = [(cell % 5) - 2, (Math.floor(cell / 5) % 5) - 2, Math.floor(cell / 25) - 2];
      worst = Math.max(worst, Math.abs(bank[cell * 10 + n]! - derivative(degrees, x)));
    }
    assert.ok(worst < 1e-5, `(${degrees.join(', ')}): ${worst}`);
  });
});

test('antisymmetry: unshifted kernels satisfy φ(−x) = (−1)^(p+q+r) φ(x) at any orientation', () => {
  const params = randomParams(1, 10, 21).map((basis) => basis.map((k) => ({ ...k, mu: [0, 0, 0] as Triple })));
  const { sigma, mu, theta } = geometry(params);
  const bank = rt.gaussKernels3d(sigma, mu, theta, 2, [5, 5, 5]);
  const flipped = tf.reverse(bank, [0, 1, 2]).dataSync();
  const values = bank.dataSync();
  volumeDegrees(2).forEach((degrees, n) => {
    const sign = (-1) ** (degrees[0]! + degrees[1]! + degrees[2]!);
    for (let cell = 0; cell < 125; cell++) assert.ok(Math.abs(flipped[cell * 10 + n]! - sign * values[cell * 10 + n]!) < 1e-6);
  });
});

test('turning an axis kernel: G_{1,0,0} with θ2 = π/2 is G_{0,0,1} with σ1 and σ3 exchanged', () => {
  const degrees = volumeDegrees(1); // (0,0,0), (0,1,0), (1,0,0), (0,0,1)
  const [alongX1, alongX3] = [degrees.findIndex((d) => d.join() === '1,0,0'), degrees.findIndex((d) => d.join() === '0,0,1')];
  const sigma: Triple = [0.7, 1.0, 1.6];
  const kernel = (theta: Triple, s: Triple) => {
    const params = [degrees.map(() => ({ sigma: s, mu: [0, 0, 0] as Triple, theta }))];
    const g = geometry(params);
    return rt.gaussKernels3d(g.sigma, g.mu, g.theta, 1, [5, 5, 5]).dataSync();
  };
  const turned = kernel([0, Math.PI / 2, 0], sigma);
  const plain = kernel([0, 0, 0], [sigma[2], sigma[1], sigma[0]]);
  for (let cell = 0; cell < 125; cell++) assert.ok(Math.abs(turned[cell * 4 + alongX1]! - plain[cell * 4 + alongX3]!) < 1e-6);
  // And the float64 reference agrees it is not the unturned kernel.
  assert.ok(Math.abs(volumeKernelValue([1, 0, 0], { sigma, mu: [0, 0, 0], theta: [0, 0, 0] }, [1, 0, 0])) > 0.01);
});

test('the image layer is the slice: θ2 = θ3 = 0 and r = 0 give the 2-D kernel times G_0 along the depth', () => {
  const params = randomParams(1, 10, 31).map((basis) => basis.map((k) => ({ ...k, theta: [k.theta[0], 0, 0] as Triple })));
  const { sigma, mu, theta } = geometry(params);
  const volumeBank = rt.gaussKernels3d(sigma, mu, theta, 2, [3, 5, 5]).dataSync();
  const degrees = volumeDegrees(2);
  const flat = degrees.map((d, n) => ({ d, n })).filter(({ d }) => d[2] === 0); // the image basis' 6 kernels, in its order
  const imageBank = rt
    .gaussKernels(
      tf.tensor3d(flat.flatMap(({ n }) => params[0]![n]!.sigma.slice(0, 2)), [1, 6, 2]),
      tf.tensor3d(flat.flatMap(({ n }) => params[0]![n]!.mu.slice(0, 2)), [1, 6, 2]),
      tf.tensor3d(flat.map(({ n }) => params[0]![n]!.theta[0]), [1, 6, 1]),
      2,
      [5, 5],
    )
    .dataSync();
  flat.forEach(({ n }, m) => {
    const k = params[0]![n]!;
    for (let d = 0; d < 3; d++)
      for (let cell = 0; cell < 25; cell++) {
        const expected = imageBank[cell * 6 + m]! * gaussian(d - 1 - k.mu[2], k.sigma[2]);
        assert.ok(Math.abs(volumeBank[(d * 25 + cell) * 10 + n]! - expected) < 1e-6);
      }
  });
});

interface LayerCase {
  readonly config: Omit<Gauss3dConfig, 'lowering'>;
  readonly fIn: number;
  readonly fOut: number;
  readonly dims: Triple;
}

function layerWeights(c: LayerCase, params: VolumeKernelParams[][], seed: number): GaussWeights {
  const rand = lcg(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const [B, nk, F] = [c.config.bases, volumeDegrees(c.config.order).length, c.fOut / c.config.bases];
  const g = geometry(params, c.config.isotropic);
  const mix =
    c.config.mix === 'full'
      ? { omega: tf.tensor4d(values(B * c.fIn * F * nk), [B, c.fIn, F, nk]) }
      : { beta: tf.tensor3d(values(B * c.fIn * nk), [B, c.fIn, nk]), lambda: tf.tensor3d(values(B * nk * F), [B, nk, F]) };
  return { ...g, ...mix, bias: tf.tensor1d(values(c.fOut)) };
}

/** The layer in float64: W[..., i, b·F + j] = Σ_n ω[b,i,j,n] φ^{b,n}, a plain convolution, plus the bias. */
function layerReference(c: LayerCase, params: VolumeKernelParams[][], weights: GaussWeights, x: Float64Array): Float64Array {
  const [B, nk, F] = [c.config.bases, volumeDegrees(c.config.order).length, c.fOut / c.config.bases];
  const phi = volumeKernelBank(params, c.config.order, c.config.size);
  const cells = c.config.size[0] * c.config.size[1] * c.config.size[2];
  const omega = (b: number, i: number, j: number, n: number): number => {
    if (weights.omega) return weights.omega.dataSync()[((b * c.fIn + i) * F + j) * nk + n]!;
    return weights.beta!.dataSync()[(b * c.fIn + i) * nk + n]! * weights.lambda!.dataSync()[(b * nk + n) * F + j]!;
  };
  const kernel = new Float64Array(cells * c.fIn * c.fOut);
  for (let cell = 0; cell < cells; cell++)
    for (let i = 0; i < c.fIn; i++)
      for (let b = 0; b < B; b++)
        for (let j = 0; j < F; j++) {
          let sum = 0;
          for (let n = 0; n < nk; n++) sum += omega(b, i, j, n) * phi[(cell * B + b) * nk + n]!;
          kernel[(cell * c.fIn + i) * c.fOut + b * F + j] = sum;
        }
  const out = conv3dRef(volume(c.dims, c.fIn, (i) => x[i]!), kernel, c.config.size, c.fOut, c.config.stride, c.config.padding, [1, 1, 1], 1);
  const bias = weights.bias!.dataSync();
  return out.data.map((v, i) => v + bias[i % c.fOut]!);
}

const CASES: readonly (LayerCase & { readonly name: string; readonly unrotated: boolean })[] = [
  { name: 'full mix, same padding', unrotated: false, fIn: 3, fOut: 4, dims: [5, 6, 4], config: { order: 2, bases: 2, size: [3, 3, 3], stride: [1, 1, 1], padding: [[1, 1], [1, 1], [1, 1]], mix: 'full', isotropic: false } },
  { name: 'separated mix, strided, anisotropic window', unrotated: false, fIn: 2, fOut: 6, dims: [6, 7, 5], config: { order: 1, bases: 3, size: [3, 5, 3], stride: [2, 1, 2], padding: [[0, 1], [2, 2], [1, 1]], mix: 'separated', isotropic: true } },
  { name: 'separated mix, unrotated (every lowering)', unrotated: true, fIn: 3, fOut: 4, dims: [6, 5, 6], config: { order: 2, bases: 2, size: [3, 3, 5], stride: [2, 1, 1], padding: [[1, 1], [1, 1], [2, 2]], mix: 'separated', isotropic: false } },
  { name: 'full mix, unrotated, valid', unrotated: true, fIn: 2, fOut: 2, dims: [5, 5, 5], config: { order: 1, bases: 1, size: [3, 3, 3], stride: [1, 2, 1], padding: [[0, 0], [0, 0], [0, 0]], mix: 'full', isotropic: false } },
];

for (const c of CASES) {
  test(`gaussConv3d, ${c.name}: every lowering it allows equals the float64 layer, with the same gradients`, () => {
    const count = volumeDegrees(c.config.order).length;
    const params = randomParams(c.config.bases, count, 41, { isotropic: c.config.isotropic, unrotated: c.unrotated });
    const weights = layerWeights(c, params, 42);
    const rand = lcg(43);
    const xs = Float64Array.from({ length: c.dims[0] * c.dims[1] * c.dims[2] * c.fIn }, () => rand() * 2 - 1);
    const x = tf.tensor5d(Float32Array.from(xs), [1, ...c.dims, c.fIn]);
    const expected = layerReference(c, params, weights, xs);
    const lowerings: GaussLowering3d[] = ['combined', 'basis-first'];
    if (c.config.mix === 'separated') lowerings.push('separated');
    if (c.unrotated) lowerings.push('basis-first-axes', ...(c.config.mix === 'separated' ? (['separated-axes'] as const) : []));
    const tolerance = 1e-4 * Math.max(1, maxAbs(expected));
    // Deployed: one frozen 3-D convolution with the layer's padding and stride.
    const deployed = rt.gaussDeploy(weights, { ...c.config, lowering: 'combined' });
    const frozen = tf.add(rt.conv3d(x, deployed.kernel, c.config.stride, c.config.padding, [1, 1, 1], 1), deployed.bias!);
    assert.ok(maxAbsDiff(frozen.dataSync(), expected) <= tolerance, `deployed: ${maxAbsDiff(frozen.dataSync(), expected)}`);
    const mixNames = c.config.mix === 'full' ? ['omega'] : ['beta', 'lambda'];
    const gradients = lowerings.map((lowering) => {
      const config = { ...c.config, lowering };
      const got = rt.gaussConv3d(x, weights, config);
      assert.ok(maxAbsDiff(got.dataSync(), expected) <= tolerance, `${lowering}: ${maxAbsDiff(got.dataSync(), expected)}`);
      // d/d(σ, μ, mixing weights, input) of a fixed random projection of the output.
      const r = tf.randomNormal(got.shape, 0, 1, 'float32', 44);
      const names = ['sigma', 'mu', ...mixNames] as const;
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const w = { ...weights, ...Object.fromEntries(names.map((n, i) => [n, args[i + 1]!])) } as GaussWeights;
        return tf.sum(tf.mul(rt.gaussConv3d(args[0] as tf.Tensor5D, w, config), r));
      })([x, ...names.map((n) => (weights as unknown as Record<string, tf.Tensor>)[n]!)]);
      return grads.map((g) => g.dataSync());
    });
    gradients.slice(1).forEach((grads, l) =>
      grads.forEach((g, i) => {
        const scale = Math.max(1, maxAbs(gradients[0]![i]!));
        assert.ok(maxAbsDiff(g, gradients[0]![i]!) <= 1e-3 * scale, `${lowerings[l + 1]} gradient ${i}: ${maxAbsDiff(g, gradients[0]![i]!)}`);
      }),
    );
  });
}

test('the 1-D factors of unrotated kernels multiply out to the kernel bank', () => {
  const params = randomParams(2, 10, 51, { unrotated: true });
  const { sigma, mu, theta } = geometry(params);
  const bank = rt.gaussKernels3d(sigma, mu, theta, 2, [3, 5, 7]).dataSync();
  const [d, h, w] = rt.gaussAxisKernels3d(sigma, mu, 2, [3, 5, 7]).map((t) => t.dataSync());
  assert.equal([d!.length, h!.length, w!.length], [3 * 20, 5 * 20, 7 * 20]);
  for (let z = 0; z < 3; z++)
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 7; x++)
        for (let k = 0; k < 20; k++) assert.ok(Math.abs(bank[((z * 5 + y) * 7 + x) * 20 + k]! - d![z * 20 + k]! * h![y * 20 + k]! * w![x * 20 + k]!) < 1e-6);
});

test.run();
