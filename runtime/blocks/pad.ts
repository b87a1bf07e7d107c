import * as tf from '@tensorflow/tfjs-core';
import type { Pair } from '../types.js';

/** Zero padding of an NHWC map: [[top, bottom], [left, right]] rows and columns. */
export function pad(x: tf.Tensor4D, [[top, bottom], [left, right]]: readonly [Pair, Pair]): tf.Tensor4D {
  return tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

/** Padding of an NDHWC volume by [before, after] per spatial axis with `value`; the input itself when there is none. */
export function padVolume(x: tf.Tensor5D, pads: readonly Pair[], value: number): tf.Tensor5D {
  if (pads.every(([before, after]) => before === 0 && after === 0)) return x;
  return tf.pad(x, [[0, 0], ...pads.map(([before, after]) => [before, after] as [number, number]), [0, 0]], value);
}
