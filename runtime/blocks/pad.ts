import * as tf from '@tensorflow/tfjs-core';
import type { Pair } from '../types.js';

/** Zero padding of an NHWC map: [[top, bottom], [left, right]] rows and columns. */
export function pad(x: tf.Tensor4D, [[top, bottom], [left, right]]: readonly [Pair, Pair]): tf.Tensor4D {
  return tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}
