import * as tf from '@tensorflow/tfjs-core';
import { kernelFromOps } from './tensor-ops.js';
import { transposedConv, type ForwardConv } from './transposed.js';

const depthwiseConv: ForwardConv = (x, filter, dilations, pad) => tf.depthwiseConv2d(x, filter, 1, pad, 'NHWC', dilations);

/**
 * Missing from the wasm package. One XNNPACK depthwise convolution per stride phase over dy's
 * C·m channels (filter [kh, kw, C, m] read as [kh, kw, C·m, 1]), then the m products of each
 * input channel summed.
 */
export const depthwiseBackpropInputKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ dy, filter }, attrs) => {
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const [kh, kw, channels, multiplier] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(inputShape, [kh, kw, channels, multiplier], strides, dilations, pad, dimRoundingMode, true);
    const perChannel = tf.reshape(filter, [kh, kw, channels * multiplier, 1]) as tf.Tensor4D;
    const dx = transposedConv(dy as tf.Tensor4D, perChannel, info, channels * multiplier, depthwiseConv);
    if (multiplier === 1) return dx;
    const [n, h, w] = dx.shape;
    return tf.sum(tf.reshape(dx, [n, h, w, channels, multiplier]), 4);
  }),
};
