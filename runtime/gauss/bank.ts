import * as tf from '@tensorflow/tfjs-core';
import { kernelConstants } from './constants.js';
import { evaluatePolynomial } from './hermite.js';

/**
 * Every kernel of a bank on its grid, [cells, B·Nk], for A axes (2 on an image, 3 on a volume, 1 for
 * the 1-D factors of an unrotated volume kernel):
 *     φ(x) = Π_a G_{d_a}(y_a, σ_a),   t_a = y_a / (√2σ_a) = (affine row a) · (x1, …, x_A, −1),
 *     G_d(y, σ) = (−1/(√2σ))^d · H_d(t) · exp(−t²) / (σ√(2π)).
 * `affine` [A, A + 1, B·Nk] maps each cell's offsets to t (the caller folds rotation, μ and σ in);
 * `sigma` [B, Nk, A] or [B, Nk, 1] (isotropic); `degrees[n][a]` the order of kernel n along axis a;
 * `size` the kernel's extent in tensor order. t comes from one matMul, the signed H_d(t) from Horner's
 * rule over per-kernel coefficient planes, and the σ-dependent scale enters the exponent as a
 * logarithm: a fixed handful of ops whatever B and Nk are, none needing tfjs' slow broadcasting.
 */
export function evaluateKernels(affine: tf.Tensor3D, sigma: tf.Tensor, degrees: readonly (readonly number[])[], size: readonly number[]): tf.Tensor2D {
  const bases = sigma.shape[0]!;
  const { grid, planes, slopePlanes, onesColumn } = kernelConstants(degrees, bases, size);
  const t = tf.matMul(grid, affine); // [A, cells, kernels]
  const logScale = tf.matMul(onesColumn, logNormaliser(sigma, degrees, size.length));
  const squares = perAxis(t).map((ta) => tf.square(ta));
  const gaussian = tf.exp(squares.reduce((sum, square) => tf.sub(sum, square), logScale as tf.Tensor));
  if (degrees.every((d) => d.every((n) => n === 0))) return gaussian as tf.Tensor2D; // H_0 = 1: no polynomial
  const polynomials = perAxis(evaluatePolynomial(t, planes, slopePlanes));
  return tf.mul(polynomials.reduce((product, p) => tf.mul(product, p)), gaussian) as tf.Tensor2D;
}

/** [A, …] split along the first axis; one axis is reshaped, since tfjs' unstack gradient fails on a single output. */
function perAxis(t: tf.Tensor): tf.Tensor[] {
  return t.shape[0] === 1 ? [tf.reshape(t, t.shape.slice(1))] : tf.unstack(t);
}

/** [1, B·Nk]: log of Π_a (√2σ_a)^−d_a / (σ_a √(2π)), the factors of φ that do not vary over the grid. */
function logNormaliser(sigma: tf.Tensor, degrees: readonly (readonly number[])[], axes: number): tf.Tensor2D {
  const [bases, count, sigmaAxes] = sigma.shape as [number, number, number];
  const total = (d: readonly number[]) => d.reduce((a, b) => a + b, 0);
  // Per kernel: the power of each σ_a (one shared σ when isotropic), and the constant part.
  const powers = degrees.flatMap((d) => (sigmaAxes === axes ? d.map((n) => -(n + 1)) : [-(total(d) + axes)]));
  const constants = degrees.map((d) => (-total(d) / 2) * Math.LN2 - (axes / 2) * Math.log(2 * Math.PI));
  const fromSigma = tf.sum(tf.mul(tf.log(sigma), tf.tensor3d(powers, [1, count, sigmaAxes])), 2);
  return tf.reshape(tf.add(fromSigma, tf.tensor2d(constants, [1, count])), [1, bases * count]);
}
