import * as tf from '@tensorflow/tfjs-core';

export interface SqueezeExciteWeights {
  readonly w1: tf.Tensor2D; // [C, C/r]
  readonly b1: tf.Tensor1D;
  readonly w2: tf.Tensor2D; // [C/r, C]
  readonly b2: tf.Tensor1D;
}

/** Squeeze-and-excitation (Hu et al.): global average pool → dense C/r (relu) → dense C (sigmoid) → channel scale; images or volumes. */
export function squeezeExcite<T extends tf.Tensor4D | tf.Tensor5D>(x: T, weights: SqueezeExciteWeights): T {
  return tf.tidy(() => {
    const spatialAxes = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    const [batch, channels] = [x.shape[0], x.shape[x.rank - 1]!];
    const squeezed = tf.mean(x, spatialAxes) as tf.Tensor2D;
    const hidden = tf.relu(tf.add(tf.matMul(squeezed, weights.w1), weights.b1)) as tf.Tensor2D;
    const gates = tf.sigmoid(tf.add(tf.matMul(hidden, weights.w2), weights.b2));
    return tf.mul(x, tf.reshape(gates, [batch, ...spatialAxes.map(() => 1), channels]));
  });
}
