import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from './types.js';

/**
 * tfjs convolutions take 'same' | 'valid'; explicit [h, w] padding is applied to the input first
 * (zeros, h rows above and below, w columns left and right) and the convolution then runs 'valid'.
 */
export function padForConv<T extends tf.Tensor4D>(x: T, padding: Padding): { input: T; pad: 'same' | 'valid' } {
  if (padding === 'same' || padding === 'valid') return { input: x, pad: padding };
  const [h, w] = padding;
  if (h === 0 && w === 0) return { input: x, pad: 'valid' };
  return { input: tf.pad(x, [[0, 0], [h, h], [w, w], [0, 0]]) as T, pad: 'valid' };
}
