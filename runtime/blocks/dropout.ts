import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { hashKey } from '../rng.js';
import type { ForwardState } from '../types.js';

/**
 * Inverted dropout while training, identity otherwise. The mask is drawn from (run seed, node key,
 * epoch, step), so a rerun with the same seed drops the same units.
 */
export function dropout(x: tf.Tensor, rate: number, training: boolean, state: ForwardState, key: string): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) {
    throw new GnetError('GN9020', `dropout rate ${rate} is outside [0, 1); use a rate such as 0.5`);
  }
  if (!training || rate === 0) return x;
  return tf.dropout(x, rate, undefined, hashKey(state.seed, `${key}/dropout@${state.epoch}:${state.step}`));
}
