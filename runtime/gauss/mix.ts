import * as tf from '@tensorflow/tfjs-core';

/**
 * Channel bookkeeping shared by the gauss lowerings. Output channel b·F + j belongs to basis b
 * (F = f_out / B outputs per basis).
 */

/**
 * W[..., i, b·F + j] = Σ_n ω[b, i, j, n] · φ^{b,n}: phi [kh,kw,B,Nk] (or [kd,kh,kw,B,Nk]), omega [B,f_in,F,Nk]
 * → [kh,kw,f_in,B·F] (or [kd,kh,kw,f_in,B·F]).
 */
export function combineFilters<T extends tf.Tensor4D | tf.Tensor5D>(phi: T, omega: tf.Tensor): T {
  const spatial = phi.shape.slice(0, -2);
  const [bases, count] = phi.shape.slice(-2) as [number, number];
  const cells = spatial.reduce((a, b) => a * b, 1);
  const [, fIn, perBasis] = omega.shape as [number, number, number];
  const phiByBasis = tf.transpose(tf.reshape(phi, [cells, bases, count]), [1, 0, 2]) as tf.Tensor3D;
  const omegaByBasis = tf.reshape(tf.transpose(omega, [0, 3, 1, 2]), [bases, count, fIn * perBasis]) as tf.Tensor3D;
  const filters = tf.reshape(tf.matMul(phiByBasis, omegaByBasis), [bases, cells, fIn, perBasis]);
  return tf.reshape<tf.Rank>(tf.transpose(filters, [1, 2, 0, 3]), [...spatial, fIn, bases * perBasis]) as T;
}

/** The full-mix weights equal to a separated mix: ω[b, i, j, n] = β[b, i, n] · λ[b, n, j]. */
export function omegaFromSeparated(beta: tf.Tensor, lambda: tf.Tensor): tf.Tensor {
  const [bases, fIn, count] = beta.shape;
  const perBasis = lambda.shape[2] ?? 0;
  const betaBroadcast = tf.reshape(beta, [bases, fIn, 1, count]);
  const lambdaBroadcast = tf.reshape(tf.transpose(lambda, [0, 2, 1]), [bases, 1, perBasis, count]);
  return tf.mul(betaBroadcast, lambdaBroadcast);
}

/**
 * Per-basis 1×1 mix: responses [B, M, K] (M pixels, K features of basis b) times weights [B, K, F],
 * returned as a channels-last map [n, h, w, B·F] (or [n, d, h, w, B·F]: `leading` holds the batch and
 * spatial sizes) with basis b's outputs at channels b·F .. b·F + F − 1.
 */
export function mixPerBasis<T extends tf.Tensor4D | tf.Tensor5D = tf.Tensor4D>(responses: tf.Tensor3D, weights: tf.Tensor3D, leading: readonly number[]): T {
  const [bases, , perBasis] = weights.shape;
  const mixed = tf.matMul(responses, weights); // [B, M, F]
  return tf.reshape<tf.Rank>(tf.transpose(mixed, [1, 0, 2]), [...leading, bases * perBasis]) as T;
}
