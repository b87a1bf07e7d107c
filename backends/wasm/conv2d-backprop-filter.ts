import * as tf from '@tensorflow/tfjs-core';
import { filterGradWindow } from './geometry.js';
import { cropToWindow, kernelFromOps } from './tensor-ops.js';

/**
 * Missing from the wasm package. dW[a, b, i, o] = Σ_{n,y,x} x[n, y·s + a, x·s + b, i] · dy[n, y, x, o]
 * is one XNNPACK forward convolution: the input transposed to [i, rows, cols, n] (batch ↔
 * channels) convolved with dy transposed to [outH, outW, n, o] as the filter, at dilation = stride.
 */
export const conv2dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ x, dy }, attrs) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const toChannelsLast = (t: tf.Tensor) => (dataFormat === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t) as tf.Tensor4D;
    const input = toChannelsLast(x);
    const grad = toChannelsLast(dy);
    const info = tf.backend_util.computeConv2DInfo(input.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const rows = filterGradWindow(info.filterHeight, info.outHeight, info.strideHeight, 1, info.padInfo.top);
    const cols = filterGradWindow(info.filterWidth, info.outWidth, info.strideWidth, 1, info.padInfo.left);
    const window = cropToWindow(input, rows, cols);
    const patches = tf.transpose(window.tensor, [3, 1, 2, 0]) as tf.Tensor4D;
    const taps = tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D;
    const dilations: [number, number] = [info.strideHeight, info.strideWidth];
    return tf.transpose(tf.conv2d(patches, taps, 1, window.pad, 'NHWC', dilations), [1, 2, 0, 3]);
  }),
};
