import * as tf from '@tensorflow/tfjs-core';
import { filterGradWindow } from './geometry.js';
import { cropToWindow, kernelFromOps } from './tensor-ops.js';

/**
 * Missing from the wasm package. dW[a, b, c, q] = Σ_{n,y,x} x[n, y·s + a·d, x·s + b·d, c] · dy[n, y, x, c·m + q]
 * is one XNNPACK depthwise convolution of a single image whose N·C channels are the
 * (image, channel) pairs, with dy as an [outH, outW, N·C, m] filter at dilation = stride and
 * stride = dilation; the N per-image results are then summed.
 */
export const depthwiseBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ x, dy }, attrs) => {
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = tf.backend_util.computeConv2DInfo(x.shape as typeof filterShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
    const [kh, kw, channels, multiplier] = filterShape;
    const { batchSize: n, outHeight, outWidth } = info;
    const rows = filterGradWindow(kh, outHeight, info.strideHeight, info.dilationHeight, info.padInfo.top);
    const cols = filterGradWindow(kw, outWidth, info.strideWidth, info.dilationWidth, info.padInfo.left);
    const window = cropToWindow(x as tf.Tensor4D, rows, cols);
    const [, keptRows, keptCols] = window.tensor.shape;
    const image = tf.reshape(tf.transpose(window.tensor, [1, 2, 0, 3]), [1, keptRows, keptCols, n * channels]) as tf.Tensor4D;
    const perImage = tf.transpose(tf.reshape(dy, [n, outHeight, outWidth, channels, multiplier]), [1, 2, 0, 3, 4]);
    const taps = tf.reshape(perImage, [outHeight, outWidth, n * channels, multiplier]) as tf.Tensor4D;
    const grads = tf.depthwiseConv2d(image, taps, [info.dilationHeight, info.dilationWidth], window.pad, 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.sum(tf.reshape(grads, [kh, kw, n, channels, multiplier]), 2);
  }),
};
