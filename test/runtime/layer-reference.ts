import * as tf from '@tensorflow/tfjs-core';
import type { GaussConfig, GaussWeights } from '../../runtime/index.js';
import { correlate, kernelGrid, lcg, orderPairs, type KernelParams } from './reference.js';

/**
 * A small gauss-layer case: random parameters as plain numbers (for the float64 reference) and as
 * tfjs tensors (for the runtime), plus the literal layer equations of docs/gauss-layer.md §3.
 */
export interface LayerCase {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly fIn: number;
  readonly fOut: number;
  readonly config: GaussConfig;
  readonly bias: boolean;
}

export interface LayerNumbers {
  readonly kernels: KernelParams[][]; // [b][n]
  readonly omega: number[]; // flat [B, f_in, F, Nk]
  readonly beta: number[]; // flat [B, f_in, Nk]
  readonly lambda: number[]; // flat [B, Nk, F]
  readonly bias: number[];
  readonly x: number[]; // flat NHWC
}

export function randomNumbers(c: LayerCase, seed: number): LayerNumbers {
  const rand = lcg(seed);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const { bases, order, isotropic } = c.config;
  const count = orderPairs(order).length;
  const perBasis = c.fOut / bases;
  const kernels = Array.from({ length: bases }, () =>
    Array.from({ length: count }, () => {
      const sigma1 = uniform(0.6, 1.8);
      return { sigma1, sigma2: isotropic ? sigma1 : uniform(0.6, 1.8), mu1: uniform(-0.8, 0.8), mu2: uniform(-0.8, 0.8), theta: uniform(-Math.PI, Math.PI) };
    }),
  );
  const values = (n: number): number[] => Array.from({ length: n }, () => uniform(-1, 1));
  return {
    kernels,
    omega: values(bases * c.fIn * perBasis * count),
    beta: values(bases * c.fIn * count),
    lambda: values(bases * count * perBasis),
    bias: values(c.fOut),
    x: values(c.batch * c.height * c.width * c.fIn),
  };
}

/** The runtime's weight tensors for the same numbers (only those the mix uses). */
export function toWeights(c: LayerCase, n: LayerNumbers): GaussWeights {
  const { bases, order, mix, isotropic } = c.config;
  const count = orderPairs(order).length;
  const perBasis = c.fOut / bases;
  const flat = n.kernels.flat();
  return {
    sigma: tf.tensor3d(flat.flatMap((k) => (isotropic ? [k.sigma1] : [k.sigma1, k.sigma2])), [bases, count, isotropic ? 1 : 2]),
    mu: tf.tensor3d(flat.flatMap((k) => [k.mu1, k.mu2]), [bases, count, 2]),
    theta: tf.tensor3d(flat.map((k) => k.theta), [bases, count, 1]),
    ...(mix === 'full'
      ? { omega: tf.tensor4d(n.omega, [bases, c.fIn, perBasis, count]) }
      : { beta: tf.tensor3d(n.beta, [bases, c.fIn, count]), lambda: tf.tensor3d(n.lambda, [bases, count, perBasis]) }),
    ...(c.bias ? { bias: tf.tensor1d(n.bias) } : {}),
  };
}

export function inputTensor(c: LayerCase, n: LayerNumbers): tf.Tensor4D {
  return tf.tensor4d(n.x, [c.batch, c.height, c.width, c.fIn]);
}

/**
 * full:      J[b·F + j] = Σ_i Σ_n ω[b,i,j,n] (φ^{b,n} ⋆ I_i)
 * separated: J[b·F + j] = Σ_n λ[b,n,j] (φ^{b,n} ⋆ Σ_i β[b,i,n] I_i)
 * Returns flat NHWC output.
 */
export function layerReference(c: LayerCase, n: LayerNumbers): number[] {
  const { bases, order, size, stride, padding, mix } = c.config;
  const pairs = orderPairs(order);
  const count = pairs.length;
  const perBasis = c.fOut / bases;
  const outputs: number[][][][] = []; // [image][channel][row][col]
  for (let image = 0; image < c.batch; image++) {
    const planes = Array.from({ length: c.fIn }, (_, i) =>
      Array.from({ length: c.height }, (_, r) => Array.from({ length: c.width }, (_, col) => n.x[((image * c.height + r) * c.width + col) * c.fIn + i])),
    );
    const channels: number[][][] = [];
    for (let b = 0; b < bases; b++) {
      const responses = pairs.map(([p, q], k) => {
        const kernel = kernelGrid(p, q, n.kernels[b][k], size[0], size[1]);
        if (mix === 'separated') return [correlate(combine(planes, (i) => n.beta[(b * c.fIn + i) * count + k]), kernel, stride, padding)];
        return planes.map((plane) => correlate(plane, kernel, stride, padding));
      });
      for (let j = 0; j < perBasis; j++) {
        const terms: { plane: number[][]; weight: number }[] = [];
        responses.forEach((perInput, k) =>
          perInput.forEach((plane, i) => {
            const weight = mix === 'separated' ? n.lambda[(b * count + k) * perBasis + j] : n.omega[((b * c.fIn + i) * perBasis + j) * count + k];
            terms.push({ plane, weight });
          }),
        );
        const summed = combine(terms.map((t) => t.plane), (i) => terms[i].weight);
        channels.push(summed.map((row) => row.map((v) => v + (c.bias ? n.bias[b * perBasis + j] : 0))));
      }
    }
    outputs.push(channels);
  }
  const [rows, cols] = [outputs[0][0].length, outputs[0][0][0].length];
  const flat: number[] = [];
  for (let image = 0; image < c.batch; image++)
    for (let r = 0; r < rows; r++) for (let col = 0; col < cols; col++) for (let ch = 0; ch < c.fOut; ch++) flat.push(outputs[image][ch][r][col]);
  return flat;
}

function combine(planes: number[][][], weight: (i: number) => number): number[][] {
  return planes[0].map((row, r) => row.map((_, col) => planes.reduce((sum, plane, i) => sum + weight(i) * plane[r][col], 0)));
}
