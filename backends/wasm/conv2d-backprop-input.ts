import * as tf from '@tensorflow/tfjs-core';
import { kernelFromOps } from './tensor-ops.js';
import { transposedConv, type ForwardConv } from './transposed.js';

const denseConv: ForwardConv = (x, filter, dilations, pad) => tf.conv2d(x, filter, 1, pad, 'NHWC', dilations);

/**
 * Replaces the wasm package's Conv2DBackpropInput, a scalar loop (≈1.7 GFLOP/s against ≈20 for
 * the forward convolution on the same machine): one XNNPACK convolution per stride phase, with
 * the filter's in/out channels swapped. Used by the conv2d input gradient and conv2dTranspose.
 */
export const conv2dBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ dy, filter }, attrs) => {
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const channelsFirst = dataFormat === 'NCHW';
    const [n, a, b, c] = inputShape;
    const shape: [number, number, number, number] = channelsFirst ? [n, b, c, a] : inputShape;
    const grad = (channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy) as tf.Tensor4D;
    const info = tf.backend_util.computeConv2DInfo(shape, filter.shape as typeof shape, strides, 1, pad, dimRoundingMode);
    const swapped = tf.transpose(filter, [0, 1, 3, 2]) as tf.Tensor4D;
    const dx = transposedConv(grad, swapped, info, info.inChannels, denseConv);
    return channelsFirst ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  }),
};
