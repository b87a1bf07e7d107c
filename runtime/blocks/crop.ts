import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';

/** The window of an NHWC map (or NDHWC volume) of spatial `size` whose first corner is at `offset`. */
export function crop<T extends tf.Tensor4D | tf.Tensor5D>(x: T, offset: readonly number[], size: readonly number[]): T {
  const spatial = x.shape.slice(1, -1);
  const fits = offset.length === spatial.length && size.length === spatial.length && offset.every((o, i) => o >= 0 && size[i]! >= 1 && o + size[i]! <= spatial[i]!);
  if (!fits) {
    throw new GnetError('GN9024', `crop of ${size.join('×')} at (${offset.join(', ')}) does not fit the ${spatial.join('×')} input; crop a window inside the input`);
  }
  return tf.slice(x, [0, ...offset, 0], [-1, ...size, -1]);
}
