import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { padForConv } from '../padding.js';
import type { Padding, Pair } from '../types.js';

/**
 * conv2d with groups (tfjs has none): kernel [kh, kw, in/groups, out]; group g maps input channels
 * g·in/groups … to output channels g·out/groups …. One input channel per group runs as a single
 * depthwise convolution; other groupings run one conv2d per group. No bias.
 */
export function groupedConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, stride: Pair, padding: Padding, dilation: Pair, groups: number): tf.Tensor4D {
  const inChannels = x.shape[3];
  const [, , perGroupIn, outChannels] = kernel.shape;
  if (!Number.isInteger(groups) || groups < 1 || perGroupIn * groups !== inChannels || outChannels % groups !== 0) {
    throw new GnetError('GN9022', `conv groups ${groups} do not split ${inChannels} input and ${outChannels} output channels (kernel holds ${perGroupIn} inputs per group); use groups dividing both`);
  }
  return tf.tidy(() => {
    const { input, pad } = padForConv(x, padding);
    // tfjs refuses stride > 1 together with dilation > 1, and its convolution gradients refuse any
    // dilation > 1; a kernel with holes is the same filter, run undilated.
    const dilated = Math.max(...dilation) > 1;
    const filter = dilated ? dilateKernel(kernel, dilation) : kernel;
    const steps: [number, number] = [stride[0], stride[1]];
    if (groups === 1) return tf.conv2d(input, filter, steps, pad);
    if (perGroupIn === 1) {
      const depthwise = tf.reshape(filter, [filter.shape[0], filter.shape[1], inChannels, outChannels / groups]) as tf.Tensor4D;
      return tf.depthwiseConv2d(input, depthwise, steps, pad);
    }
    const inputs = tf.split(input, groups, 3);
    const filters = tf.split(filter, groups, 3);
    return tf.concat(inputs.map((part, g) => tf.conv2d(part as tf.Tensor4D, filters[g] as tf.Tensor4D, steps, pad)), 3);
  }) as tf.Tensor4D;
}

/** Inserts dilation − 1 zero rows/columns between the taps: [kh, kw, i, o] → [(kh−1)·dh+1, (kw−1)·dw+1, i, o]. */
export function dilateKernel(kernel: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  const [kh, kw, inC, outC] = kernel.shape;
  const spaced = tf.pad(tf.reshape(kernel, [kh, 1, kw, 1, inC, outC]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  const grid = tf.reshape(spaced, [kh * dh, kw * dw, inC, outC]);
  return tf.slice(grid, [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, inC, outC]) as tf.Tensor4D;
}
