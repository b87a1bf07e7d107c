import * as tf from '@tensorflow/tfjs-core';
import { basisDegrees3d } from './basis.js';
import { evaluateKernels } from './bank.js';
import { checkKernelParams } from './kernels.js';

export type Triple = readonly [number, number, number];

/**
 * Every kernel φ^{b,n} of a volume gauss layer, as one [kd, kh, kw, B, Nk] tensor (docs/gauss-layer.md §10):
 *     φ^{b,n}(x) = G_p(y1, σ1) · G_q(y2, σ2) · G_r(y3, σ3),   y = R(θ)·x − μ,
 * x1 along the width, x2 along the height, x3 along the depth, the grid centred on 0, and
 * R(θ) = R_1(θ3) · R_2(θ2) · R_3(θ1): first θ1 turns the (x1, x2) plane about the depth axis (the
 * image layer's θ), then θ2 the (x1, x3) plane, then θ3 the (x2, x3) plane, each as
 * (a, b) ↦ (a cos + b sin, −a sin + b cos).
 *
 * sigma: [B, Nk, 3] (σ1, σ2, σ3) or [B, Nk, 1] (isotropic); mu: [B, Nk, 3]; theta: [B, Nk, 3].
 */
export function gaussKernels3d(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor, order: number, size: Triple): tf.Tensor5D {
  const degrees = basisDegrees3d(order);
  const bases = checkKernelParams(sigma, mu, theta, degrees.length, 3);
  return tf.tidy(() => {
    const bank = evaluateKernels(affineMaps3d(sigma, mu, theta), sigma, degrees, size);
    return tf.reshape(bank, [...size, bases, degrees.length]) as tf.Tensor5D;
  });
}

/**
 * The 1-D factors of unrotated kernels (θ = 0): φ^{b,n}(x) = w(x1) · h(x2) · d(x3) with
 * d = G_r(x3 − μ3, σ3) along the depth, h = G_q(x2 − μ2, σ2), w = G_p(x1 − μ1, σ1), each [k_axis, B·Nk]
 * and returned in tensor order [depth, height, width]: the separable ('-axes') lowerings filter with them.
 */
export function gaussAxisKernels3d(sigma: tf.Tensor, mu: tf.Tensor, order: number, size: Triple): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const degrees = basisDegrees3d(order);
  const [bases, count] = [mu.shape[0]!, degrees.length];
  return tf.tidy(() => {
    const kernels = bases * count;
    const factor = (axis: 0 | 1 | 2): tf.Tensor2D => {
      const sigmaAxis = sigma.shape[2] === 1 ? sigma : tf.slice(sigma, [0, 0, axis], [-1, -1, 1]);
      const width = tf.mul(tf.reshape(sigmaAxis, [kernels]), Math.SQRT2);
      const muAxis = tf.reshape(tf.slice(mu, [0, 0, axis], [-1, -1, 1]), [kernels]);
      const affine = tf.reshape(tf.stack([tf.div(1, width), tf.div(muAxis, width)]), [1, 2, kernels]) as tf.Tensor3D;
      return evaluateKernels(affine, sigmaAxis, degrees.map((d) => [d[axis]!]), [size[2 - axis]!]);
    };
    const [w, h, d] = [factor(0), factor(1), factor(2)];
    return [d, h, w];
  });
}

/**
 * [3, 4, B·Nk]: per kernel, the map from (x1, x2, x3, −1) to t_a = (R_a · x − μ_a) / (√2σ_a), R's rows
 * written out from R_1(θ3) · R_2(θ2) · R_3(θ1).
 */
function affineMaps3d(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor): tf.Tensor3D {
  const kernels = mu.shape[0]! * mu.shape[1]!;
  const [t1, t2, t3] = tf.unstack(tf.reshape(theta, [kernels, 3]), 1);
  const [c1, s1, c2, s2, c3, s3] = [tf.cos(t1!), tf.sin(t1!), tf.cos(t2!), tf.sin(t2!), tf.cos(t3!), tf.sin(t3!)];
  const [mu1, mu2, mu3] = tf.unstack(tf.reshape(mu, [kernels, 3]), 1);
  const m = tf.mul;
  const rows = [
    [m(c1, c2), m(s1, c2), s2, mu1!],
    [tf.sub(tf.neg(m(c3, s1)), m(m(s3, s2), c1)), tf.sub(m(c3, c1), m(m(s3, s2), s1)), m(s3, c2), mu2!],
    [tf.sub(m(s3, s1), m(m(c3, s2), c1)), tf.sub(tf.neg(m(s3, c1)), m(m(c3, s2), s1)), m(c3, c2), mu3!],
  ];
  const maps = tf.reshape(tf.stack(rows.flat()), [3, 4, kernels]);
  const widths = tf.mul(tf.reshape(tf.transpose(tf.reshape(sigma, [kernels, -1])), [-1, 1, kernels]), Math.SQRT2);
  return tf.div(maps, widths);
}
