import * as tf from '@tensorflow/tfjs-core';
import { transposedPlan } from './geometry.js';
import { cropToWindow, interleavePhases } from './tensor-ops.js';

/** A stride-1 forward convolution (dense or depthwise) at the given dilation and explicit padding. */
export type ForwardConv = (x: tf.Tensor4D, filter: tf.Tensor4D, dilations: [number, number], pad: tf.backend_util.ExplicitPadding) => tf.Tensor4D;

/**
 * The input gradient of a convolution built from fast forward convolutions, one per stride
 * phase (see transposedPlan). `filter` holds the taps in forward order, laid out so that
 * `conv(dy, filter)` maps dy's channels to the `channels` of the result.
 */
export function transposedConv(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  channels: number,
  conv: ForwardConv,
): tf.Tensor4D {
  const rows = transposedPlan(info.inHeight, info.filterHeight, info.strideHeight, info.dilationHeight, info.padInfo.top);
  const cols = transposedPlan(info.inWidth, info.filterWidth, info.strideWidth, info.dilationWidth, info.padInfo.left);
  const batch = dy.shape[0];
  const dilations: [number, number] = [info.dilationHeight, info.dilationWidth];
  const phases = rows.phases.map((row) =>
    cols.phases.map((col): tf.Tensor4D => {
      if (row.taps === 0 || col.taps === 0) return tf.zeros([batch, rows.count, cols.count, channels]);
      const end = [info.filterHeight, info.filterWidth, filter.shape[2], filter.shape[3]];
      const taps = tf.stridedSlice(filter, [row.offset, col.offset, 0, 0], end, [info.strideHeight, info.strideWidth, 1, 1]);
      const window = cropToWindow(dy, row.window, col.window);
      return conv(window.tensor, tf.reverse(taps, [0, 1]) as tf.Tensor4D, dilations, window.pad);
    }),
  );
  const interleaved = interleavePhases(phases);
  const [, height, width] = interleaved.shape;
  const exact = rows.cropStart === 0 && cols.cropStart === 0 && height === info.inHeight && width === info.inWidth;
  return exact ? interleaved : tf.slice(interleaved, [0, rows.cropStart, cols.cropStart, 0], [batch, info.inHeight, info.inWidth, channels]);
}
