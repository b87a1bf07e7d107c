import * as tf from '@tensorflow/tfjs-core';

export interface BatchNormWeights {
  readonly gamma: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
}

/**
 * Batch normalisation over the last (channel) axis, Keras semantics: training normalises with the
 * batch's mean and biased variance and updates moving = moving·momentum + batch·(1 − momentum)
 * in place; inference normalises with the moving statistics.
 */
export function batchNorm(x: tf.Tensor, weights: BatchNormWeights, training: boolean, momentum: number, epsilon: number): tf.Tensor {
  const { gamma, beta, movingMean, movingVariance } = weights;
  if (!training) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, epsilon);
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  updateMovingAverage(movingMean, mean, momentum);
  updateMovingAverage(movingVariance, variance, momentum);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

function updateMovingAverage(moving: tf.Variable, batch: tf.Tensor, momentum: number): void {
  tf.tidy(() => moving.assign(tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum))));
}
