import * as tf from '@tensorflow/tfjs-core';

export interface SqueezeExciteWeights {
  readonly w1: tf.Tensor2D; // [C, C/r]
  readonly b1: tf.Tensor1D;
  readonly w2: tf.Tensor2D; // [C/r, C]
  readonly b2: tf.Tensor1D;
}

/** Squeeze-and-excitation (Hu et al.): global average pool → dense C/r (relu) → dense C (sigmoid) → channel scale. */
export function squeezeExcite(x: tf.Tensor4D, weights: SqueezeExciteWeights): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, , , channels] = x.shape;
    const squeezed = tf.mean(x, [1, 2]) as tf.Tensor2D;
    const hidden = tf.relu(tf.add(tf.matMul(squeezed, weights.w1), weights.b1)) as tf.Tensor2D;
    const gates = tf.sigmoid(tf.add(tf.matMul(hidden, weights.w2), weights.b2));
    return tf.mul(x, tf.reshape(gates, [batch, 1, 1, channels]));
  });
}
