import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Pair } from '../types.js';

/** The [h, w] window of an NHWC map whose top-left corner is at [top, left]. */
export function crop(x: tf.Tensor4D, [top, left]: Pair, [h, w]: Pair): tf.Tensor4D {
  const [, height, width] = x.shape;
  if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > height || left + w > width) {
    throw new GnetError('GN9024', `crop of ${h}×${w} at (${top}, ${left}) does not fit the ${height}×${width} input; crop a window inside the input`);
  }
  return tf.slice(x, [0, top, left, 0], [-1, h, w, -1]);
}
