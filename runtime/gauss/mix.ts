import * as tf from '@tensorflow/tfjs-core';

/**
 * Channel bookkeeping shared by the gauss lowerings. Output channel b·F + j belongs to basis b
 * (F = f_out / B outputs per basis).
 */

/** W[:, :, i, b·F + j] = Σ_n ω[b, i, j, n] · φ^{b,n}: phi [kh,kw,B,Nk], omega [B,f_in,F,Nk] → [kh,kw,f_in,B·F]. */
export function combineFilters(phi: tf.Tensor4D, omega: tf.Tensor): tf.Tensor4D {
  const [kh, kw, bases, count] = phi.shape;
  const [, fIn, perBasis] = omega.shape;
  const phiByBasis = tf.transpose(tf.reshape(phi, [kh * kw, bases, count]), [1, 0, 2]) as tf.Tensor3D;
  const omegaByBasis = tf.reshape(tf.transpose(omega, [0, 3, 1, 2]), [bases, count, fIn * perBasis]) as tf.Tensor3D;
  const filters = tf.reshape(tf.matMul(phiByBasis, omegaByBasis), [bases, kh, kw, fIn, perBasis]);
  return tf.reshape(tf.transpose(filters, [1, 2, 3, 0, 4]), [kh, kw, fIn, bases * perBasis]) as tf.Tensor4D;
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
 * returned as an NHWC map [n, h, w, B·F] with basis b's outputs at channels b·F .. b·F + F − 1.
 */
export function mixPerBasis(responses: tf.Tensor3D, weights: tf.Tensor3D, [n, h, w]: readonly number[]): tf.Tensor4D {
  const [bases, , perBasis] = weights.shape;
  const mixed = tf.matMul(responses, weights); // [B, M, F]
  return tf.reshape(tf.transpose(mixed, [1, 0, 2]), [n, h, w, bases * perBasis]) as tf.Tensor4D;
}
