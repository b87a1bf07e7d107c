import * as tf from '@tensorflow/tfjs-core';

export interface BatchNormWeights {
  /** Absent when the block has `scale = false`: γ is then 1. */
  readonly gamma?: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
}

/**
 * Batch normalisation over the last (channel) axis, Keras semantics: training normalises with the
 * batch's mean and biased variance and updates moving = moving·momentum + batch·(1 − momentum)
 * in place; inference normalises with the moving statistics. (Fixed statistics: fixedBatchNorm.)
 *
 * `step`, the run's optimiser steps so far, warms the moving statistics up: the share kept is
 * min(momentum, step / (step + 1)), so step 0 takes the first batch's statistics and the next steps
 * average the batches seen until the momentum takes over (momentum 1 still never updates). Without
 * it the initial 0 and 1 linger for hundreds of steps where the true variance is far from 1 (gauss
 * layers: about 10⁻³), and a short run evaluates with statistics that fit no batch.
 */
export function batchNorm(x: tf.Tensor, weights: BatchNormWeights, training: boolean, momentum: number, epsilon: number, step?: number): tf.Tensor {
  const { gamma, beta, movingMean, movingVariance } = weights;
  if (!training) {
    // tf.batchNorm without a scale cannot be differentiated (its gradient saves the missing scale), nor on
    // volumes (its gradient tiles to rank 4): there the same arithmetic is written out.
    if (gamma && x.rank <= 4) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, epsilon);
    const normalised = tf.mul(tf.sub(x, movingMean), tf.rsqrt(tf.add(movingVariance, epsilon)));
    return tf.add(gamma ? tf.mul(normalised, gamma) : normalised, beta);
  }
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const kept = step === undefined || momentum >= 1 ? momentum : Math.min(momentum, step / (step + 1));
  updateMovingAverage(movingMean, mean, kept);
  updateMovingAverage(movingVariance, variance, kept);
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
  return tf.add(gamma ? tf.mul(normalised, gamma) : normalised, beta);
}

/**
 * batchnorm(statistics = fixed), the paper's Table 1 condition: μ = 0 and √(σ² + ε) = 1 in training
 * and inference alike, so nothing is normalised and the block is γ·x + β (x + β without γ).
 */
export function fixedBatchNorm(x: tf.Tensor, weights: Pick<BatchNormWeights, 'gamma' | 'beta'>): tf.Tensor {
  return tf.add(weights.gamma ? tf.mul(x, weights.gamma) : x, weights.beta);
}

function updateMovingAverage(moving: tf.Variable, batch: tf.Tensor, momentum: number): void {
  tf.tidy(() => moving.assign(tf.add(tf.mul(moving, momentum), tf.mul(batch, 1 - momentum))));
}
