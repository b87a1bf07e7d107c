import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { createRng } from '../rng.js';
import type { ForwardState } from '../types.js';

/**
 * Inverted dropout while training, identity otherwise. The mask is gnet's own stream (run seed, node
 * key, epoch, step), one uniform per value in NHWC order, so a rerun drops the same units and the torch
 * engine (gnet_torch/stochastic.py) draws the very same mask.
 */
export function dropout(x: tf.Tensor, rate: number, training: boolean, state: ForwardState, key: string): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) {
    throw new GnetError('GN9020', `dropout rate ${rate} is outside [0, 1); use a rate such as 0.5`);
  }
  if (!training || rate === 0) return x;
  const rng = createRng(state.seed, `${key}/dropout@${state.epoch}:${state.step}`);
  const keep = new Float32Array(x.size);
  for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() >= rate ? 1 : 0;
  return tf.tidy(() => tf.div(tf.mul(x, tf.tensor(keep, x.shape)), 1 - rate));
}
