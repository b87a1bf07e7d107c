import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { createRng, type Rng } from '../rng.js';
import type { ForwardState } from '../types.js';

/**
 * Feature random enhancement (Ando & Hotta 2021): while training, `count` channels chosen at random
 * are multiplied by `factor`. The choice is drawn from (run seed, node key, epoch), so it holds for a
 * whole epoch and is redrawn the next; identity at inference.
 */
export function featureRandomEnhance(
  x: tf.Tensor,
  count: number,
  factor: number,
  training: boolean,
  state: Pick<ForwardState, 'epoch' | 'seed'>,
  key: string,
): tf.Tensor {
  if (!training) return x;
  const channels = x.shape[x.rank - 1];
  if (!Number.isInteger(count) || count < 1 || count > channels) {
    throw new GnetError('GN9021', `fre count ${count} must be an integer from 1 to the ${channels} channels it enhances; lower the count`);
  }
  const scale = new Float32Array(channels).fill(1);
  for (const channel of chooseChannels(channels, count, createRng(state.seed, `${key}/fre@${state.epoch}`))) scale[channel] = factor;
  return tf.tidy(() => tf.mul(x, tf.tensor1d(scale)));
}

/** `count` distinct channels, uniformly (partial Fisher–Yates). */
export function chooseChannels(channels: number, count: number, rng: Rng): number[] {
  const order = Array.from({ length: channels }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(channels - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}
