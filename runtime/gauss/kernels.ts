import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Pair } from '../types.js';
import { basisOrders } from './basis.js';
import { evaluateKernels } from './bank.js';

/**
 * Every kernel φ^{b,n} of a gauss layer, as one [kh, kw, B, Nk] tensor (docs/gauss-layer.md §1–2):
 *     φ^{b,n}(x) = G_p(y1, σ1) · G_q(y2, σ2),   y = R(θ)·x − μ,
 *     G_p(y, σ) = (−1/(√2σ))^p · H_p(t) · exp(−t²) / (σ√(2π)),   t = y / (√2σ),
 * x1 along the width (columns), x2 along the height (rows), the grid centred on 0, no renormalisation.
 *
 * sigma: [B, Nk, 2] (σ1, σ2) or [B, Nk, 1] (isotropic); mu: [B, Nk, 2]; theta: [B, Nk, 1].
 * The bank is evaluated by evaluateKernels (bank.ts), shared with the volume kernels.
 */
export function gaussKernels(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor, order: number, size: Pair): tf.Tensor4D {
  const orders = basisOrders(order);
  const [kh, kw] = size;
  const bases = checkKernelParams(sigma, mu, theta, orders.length);
  return tf.tidy(() => {
    const bank = evaluateKernels(affineMaps(sigma, mu, theta), sigma, orders.map(({ p, q }) => [p, q]), [kh, kw]);
    return tf.reshape(bank, [kh, kw, bases, orders.length]) as tf.Tensor4D;
  });
}

/** B from the parameter shapes over `axes` spatial axes (2 or 3), or a GnetError naming the tensor that does not fit. */
export function checkKernelParams(sigma: tf.Tensor, mu: tf.Tensor, theta: tf.Tensor, count: number, axes = 2): number {
  const bases = mu.shape[0] ?? 0;
  const expect = (name: string, t: tf.Tensor, lastDims: readonly number[]): void => {
    if (t.rank === 3 && t.shape[0] === bases && t.shape[1] === count && lastDims.includes(t.shape[2]!)) return;
    const wanted = lastDims.map((d) => `[${bases}, ${count}, ${d}]`).join(' or ');
    throw new GnetError('GN9011', `gauss ${name} has shape [${t.shape.join(', ')}], expected ${wanted}; create the weights from the layer's own specs`);
  };
  expect('mu', mu, [axes]);
  expect('sigma', sigma, [axes, 1]);
  expect('theta', theta, [axes === 3 ? 3 : 1]);
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
