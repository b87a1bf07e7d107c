import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Pair } from '../types.js';
import { basisOrders, type DerivativeOrder } from './basis.js';
import { kernelConstants } from './constants.js';
import { evaluatePolynomial } from './hermite.js';

/**
 * Every kernel φ^{b,n} of a gauss layer, as one [kh, kw, B, Nk] tensor (docs/gauss-layer.md §1–2):
 *     φ^{b,n}(x) = G_p(y1, σ1) · G_q(y2, σ2),   y = R(θ)·x − μ,
 *     G_p(y, σ) = (−1/(√2σ))^p · H_p(t) · exp(−t²) / (σ√(2π)),   t = y / (√2σ),
 * x1 along the width (columns), x2 along the height (rows), the grid centred on 0, no renormalisation.
 *
 * sigma: [B, Nk, 2] (σ1, σ2) or [B, Nk, 1] (isotropic); mu: [B, Nk, 2]; theta: [B, Nk, 1].
 * The whole bank is a fixed handful of tfjs ops whatever B and Nk are, laid out as
 * [axis a, grid cell, kernel (b, n)] so the result needs no transpose. t comes from one matMul of
 * [x1, x2, −1] per cell with per-kernel affine maps, the signed H_p(t) from Horner's rule over
 * per-kernel coefficient planes, and the σ-dependent scale enters the exponent as a logarithm:
 * no op needs tfjs' slow broadcasting.
 */
export function gaussKernels(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor, order: number, size: Pair): tf.Tensor4D {
  const orders = basisOrders(order);
  const [kh, kw] = size;
  const bases = checkKernelParams(sigma, mu, theta, orders.length);
  return tf.tidy(() => {
    const { grid, planes, slopePlanes, onesColumn } = kernelConstants(orders, bases, kh, kw);
    const t = tf.matMul(grid, affineMaps(sigma, mu, theta)); // [2, cells, kernels]
    const [t1, t2] = tf.unstack(t);
    const logScale = tf.matMul(onesColumn, logNormaliser(sigma, orders));
    const gaussian = tf.exp(tf.sub(tf.sub(logScale, tf.square(t1)), tf.square(t2)));
    if (order === 0) return tf.reshape(gaussian, [kh, kw, bases, 1]) as tf.Tensor4D; // H_0 = 1: no polynomial
    const [poly1, poly2] = tf.unstack(evaluatePolynomial(t, planes, slopePlanes));
    return tf.reshape(tf.mul(tf.mul(poly1, poly2), gaussian), [kh, kw, bases, orders.length]) as tf.Tensor4D;
  });
}

/** B from the parameter shapes, or a GnetError naming the tensor that does not fit. */
function checkKernelParams(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor, count: number): number {
  const bases = mu.shape[0] ?? 0;
  const expect = (name: string, t: tf.Tensor, lastDims: readonly number[]): void => {
    if (t.rank === 3 && t.shape[0] === bases && t.shape[1] === count && lastDims.includes(t.shape[2]!)) return;
    const wanted = lastDims.map((d) => `[${bases}, ${count}, ${d}]`).join(' or ');
    throw new GnetError('GN9011', `gauss ${name} has shape [${t.shape.join(', ')}], expected ${wanted}; create the weights from the layer's own specs`);
  };
  expect('mu', mu, [2]);
  expect('sigma', sigma, [2, 1]);
  expect('theta', theta, [1]);
  return bases;
}

/**
 * [2, 3, B·Nk]: per kernel, the map from (x1, x2, −1) to t on axis 1, (cos θ, sin θ, μ1) / (√2σ1),
 * and on axis 2, (−sin θ, cos θ, μ2) / (√2σ2).
 */
function affineMaps(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor): tf.Tensor3D {
  const kernels = mu.shape[0]! * mu.shape[1]!;
  const angle = tf.reshape(theta, [kernels]);
  const cos = tf.cos(angle);
  const sin = tf.sin(angle);
  const [mu1, mu2] = tf.unstack(tf.reshape(mu, [kernels, 2]), 1);
  const maps = tf.reshape(tf.stack([cos, sin, mu1, tf.neg(sin), cos, mu2]), [2, 3, kernels]);
  const widths = tf.mul(tf.reshape(tf.transpose(tf.reshape(sigma, [kernels, -1])), [-1, 1, kernels]), Math.SQRT2);
  return tf.div(maps, widths);
}

/** [1, B·Nk]: log of (√2σ1)^−p (√2σ2)^−q / (2π σ1 σ2), the factors of G_p·G_q that do not vary over the grid. */
function logNormaliser(sigma: tf.Tensor, orders: readonly DerivativeOrder[]): tf.Tensor2D {
  const [bases, count, axes] = sigma.shape;
  // Per kernel: the power of σ1 and σ2 (one shared σ when isotropic), and the constant part.
  const powers = orders.flatMap(({ p, q }) => (axes === 2 ? [-(p + 1), -(q + 1)] : [-(p + q + 2)]));
  const constants = orders.map(({ p, q }) => (-(p + q) / 2) * Math.LN2 - Math.log(2 * Math.PI));
  const fromSigma = tf.sum(tf.mul(tf.log(sigma), tf.tensor3d(powers, [1, count, axes])), 2);
  return tf.reshape(tf.add(fromSigma, tf.tensor2d(constants, [1, count])), [1, bases * count]);
}
