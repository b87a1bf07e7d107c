import * as tf from '@tensorflow/tfjs-core';
import { spreadAxis } from '../../runtime/blocks/volume-conv.js';
import { kernelFromOps } from './tensor-ops.js';

/**
 * Replaces the wasm package's Conv3DBackpropInputV2, which returns wrong values in 4.22 (its C++
 * kernel disagrees with cpu on every case gnet tried: 'same' and 'valid', stride 1 and 2). Used by the
 * conv3d input gradient and conv3dTranspose. Built from the package's forward Conv3D, which is right:
 * dx is the correlation of dy — stride − 1 zeros spread between its entries, padded by k − 1 − (the
 * forward padding before) — with the filter reversed along its spatial axes and its channels swapped.
 */
export const conv3dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.Conv3DBackpropInputV2,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ dy, filter }, attrs) => {
    const { strides, pad, inputShape } = attrs as unknown as tf.Conv3DBackpropInputV2Attrs;
    const info = tf.backend_util.computeConv3DInfo(inputShape, filter.shape as [number, number, number, number, number], strides, 1, pad);
    const before = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
    const kernel = [info.filterDepth, info.filterHeight, info.filterWidth];
    const size = [info.inDepth, info.inHeight, info.inWidth];
    const stride = [info.strideDepth, info.strideHeight, info.strideWidth];
    let spread: tf.Tensor = dy;
    for (let axis = 0; axis < 3; axis++) {
      spread = spreadAxis(spread, axis + 1, stride[axis]!);
      // Lead k − 1 − before, trail so that the valid correlation gives `size` outputs (crop when that is negative).
      const lead = kernel[axis]! - 1 - before[axis]!;
      const trail = size[axis]! + kernel[axis]! - 1 - lead - spread.shape[axis + 1]!;
      const pads = spread.shape.map((_, i) => (i === axis + 1 ? [Math.max(lead, 0), Math.max(trail, 0)] : [0, 0]) as [number, number]);
      spread = tf.pad(spread, pads);
      if (lead < 0 || trail < 0) {
        const begin = spread.shape.map((_, i) => (i === axis + 1 ? Math.max(-lead, 0) : 0));
        const length = spread.shape.map((n, i) => (i === axis + 1 ? size[axis]! + kernel[axis]! - 1 : n));
        spread = tf.slice(spread, begin, length);
      }
    }
    const reversed = tf.transpose(tf.reverse(filter, [0, 1, 2]), [0, 1, 2, 4, 3]) as tf.Tensor5D;
    return tf.conv3d(spread as tf.Tensor5D, reversed, 1, 'valid');
  }),
};
