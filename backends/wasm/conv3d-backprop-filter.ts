import * as tf from '@tensorflow/tfjs-core';
import { spreadAxis } from '../../runtime/blocks/volume-conv.js';
import { kernelFromOps } from './tensor-ops.js';

/**
 * Replaces the wasm package's Conv3DBackpropFilterV2, which is wrong in 4.22 at strides above 1. Built
 * from the forward Conv3D: dW[t, i, o] = Σ over examples and output positions p of
 * x_padded[p·stride + t, i] · dy[p, o], i.e. the input with its channels as the batch and its examples
 * as the channels, correlated with dy (stride − 1 zeros spread between its entries) as the filter.
 */
export const conv3dBackpropFilterKernel: tf.KernelConfig = {
  kernelName: tf.Conv3DBackpropFilterV2,
  backendName: 'wasm',
  kernelFunc: kernelFromOps(({ x, dy }, attrs) => {
    const { strides, pad, filterShape } = attrs as unknown as tf.Conv3DBackpropFilterV2Attrs;
    const info = tf.backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number], filterShape, strides, 1, pad);
    const before = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
    const kernel = [info.filterDepth, info.filterHeight, info.filterWidth];
    const stride = [info.strideDepth, info.strideHeight, info.strideWidth];
    const outputs = [info.outDepth, info.outHeight, info.outWidth];
    const pads = [0, 1, 2].map((a) => [before[a]!, Math.max(0, (outputs[a]! - 1) * stride[a]! + kernel[a]! - x.shape[a + 1]! - before[a]!)] as [number, number]);
    const padded = tf.pad(x, [[0, 0], ...pads, [0, 0]]);
    const channelsAsBatch = tf.transpose(padded, [4, 1, 2, 3, 0]) as tf.Tensor5D; // [i, D, H, W, examples]
    const taps = [0, 1, 2].reduce<tf.Tensor>((t, a) => spreadAxis(t, a + 1, stride[a]!), dy);
    const filter = tf.transpose(taps, [1, 2, 3, 0, 4]) as tf.Tensor5D; // [.., examples, o]
    const full = tf.conv3d(channelsAsBatch, filter, 1, 'valid'); // [i, ≥kd, ≥kh, ≥kw, o]
    const window = tf.slice(full, [0, 0, 0, 0, 0], [-1, kernel[0]!, kernel[1]!, kernel[2]!, -1]);
    return tf.transpose(window, [1, 2, 3, 0, 4]);
  }),
};
