import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';

export interface GroupNormWeights {
  /** Absent when the block has `scale = false`: γ is then 1. */
  readonly gamma?: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
}

/**
 * Group normalisation of a channels-last batch (NHWC or NDHWC): per example and group of C / groups
 * channels, subtract the mean and divide by √(variance + ε) (biased variance over every position and
 * channel of the group), then γ, β per channel. The same in training and inference.
 */
export function groupNorm(x: tf.Tensor, weights: GroupNormWeights, groups: number, epsilon: number): tf.Tensor {
  const channels = x.shape[x.rank - 1]!;
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new GnetError('GN9022', `groupnorm groups ${groups} do not divide the ${channels} channels; use groups dividing them`);
  }
  return tf.tidy(() => {
    const positions = x.shape.slice(1, -1).reduce((a, b) => a * b, 1);
    const grouped = tf.reshape(x, [x.shape[0]!, positions, groups, channels / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 3], true);
    const normalised = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, epsilon))), x.shape);
    return tf.add(weights.gamma ? tf.mul(normalised, weights.gamma) : normalised, weights.beta);
  });
}
