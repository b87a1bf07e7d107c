import * as tf from '@tensorflow/tfjs-core';
import { kernelFromOps, spatialWindow } from './tensor-ops.js';

type ExplicitPadding = tf.backend_util.ExplicitPadding;

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | ExplicitPadding;
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

/**
 * Wraps a wasm forward convolution (Conv2D, FusedConv2D, DepthwiseConv2dNative,
 * FusedDepthwiseConv2D). With 'same' padding, stride 2 and a filter one tap wide on one axis
 * (1×N, N×1) XNNPACK's own same-padding rule gives wrong values, so 'same' is passed on as the
 * explicit padding tfjs computes, which it handles correctly. An empty output skips the wasm
 * call, which otherwise writes out of bounds and corrupts the heap.
 */
export function withExplicitSamePadding(original: tf.KernelConfig, depthwise: boolean): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as Record<'x' | 'filter', tf.TensorInfo>;
      const attrs = args.attrs as unknown as ConvAttrs;
      const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filter.shape as [number, number, number, number],
        attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, depthwise, format,
      );
      if (tf.util.sizeFromShape(info.outShape) === 0) return tf.zeros(info.outShape);
      if (attrs.pad !== 'same') return original.kernelFunc(args);
      const { top, bottom, left, right } = info.padInfo;
      const pad: ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
      return original.kernelFunc({ ...args, attrs: { ...args.attrs, pad } });
    },
  };
}

/**
 * Wraps wasm MaxPool / AvgPool. A padding as wide as the window (possible with numeric or explicit
 * padding) puts whole windows in the padding, and XNNPACK then returns wrong values and
 * corrupts the heap. Those cases pad in tfjs and pool with 'valid' padding: −∞ around the input
 * for max; for average, the sum of the zero-padded input over the count of real pixels, as the
 * cpu backend divides (0/0 = NaN for an all-padding window, as there).
 */
export function withSafePoolPadding(original: tf.KernelConfig, mode: 'max' | 'avg'): tf.KernelConfig {
  const padded = kernelFromOps(({ x }, attrs) => {
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const rows = { start: -info.padInfo.top, length: (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight };
    const cols = { start: -info.padInfo.left, length: (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth };
    const pool = (t: tf.Tensor4D) => (mode === 'max' ? tf.maxPool : tf.avgPool)(t, filterSize, strides, 'valid');
    if (mode === 'max') return pool(spatialWindow(x as tf.Tensor4D, rows, cols, -Infinity));
    const sums = pool(spatialWindow(x as tf.Tensor4D, rows, cols));
    const counts = pool(spatialWindow(tf.onesLike(x) as tf.Tensor4D, rows, cols));
    return tf.div(sums, counts);
  });
  return {
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as Record<'x', tf.TensorInfo>;
      const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolAttrs;
      const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      if (tf.util.sizeFromShape(info.outShape) === 0) return tf.zeros(info.outShape);
      const { top, bottom, left, right } = info.padInfo;
      const windowsTouchInput = Math.max(top, bottom) < info.effectiveFilterHeight && Math.max(left, right) < info.effectiveFilterWidth;
      return windowsTouchInput ? original.kernelFunc(args) : padded(args);
    },
  };
}
