import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Pair } from '../types.js';
import { padVolume } from './pad.js';

type Triple = readonly [number, number, number];

/**
 * 3-D convolution of an NDHWC batch with kernel [kd, kh, kw, in/groups, out], padded first by
 * [before, after] per spatial axis (the compiler's 'same' split or explicit padding), then 'valid'.
 * tf.conv3d has no groups and its gradient refuses dilation above 1: a dilated kernel runs as the same
 * kernel with zeros between its taps, and groups run as one conv3d per group. No bias.
 */
export function conv3d(x: tf.Tensor5D, kernel: tf.Tensor5D, stride: Triple, padding: readonly Pair[], dilation: Triple, groups: number): tf.Tensor5D {
  const inChannels = x.shape[4];
  const [, , , perGroupIn, outChannels] = kernel.shape;
  if (!Number.isInteger(groups) || groups < 1 || perGroupIn * groups !== inChannels || outChannels % groups !== 0) {
    throw new GnetError('GN9022', `conv groups ${groups} do not split ${inChannels} input and ${outChannels} output channels (kernel holds ${perGroupIn} inputs per group); use groups dividing both`);
  }
  return tf.tidy(() => {
    const input = padVolume(x, padding, 0);
    const filter = dilation.some((d) => d > 1) ? dilateKernel3d(kernel, dilation) : kernel;
    const steps: [number, number, number] = [stride[0], stride[1], stride[2]];
    if (groups === 1) return tf.conv3d(input, filter, steps, 'valid');
    const inputs = tf.split(input, groups, 4);
    const filters = tf.split(filter, groups, 4);
    return tf.concat(inputs.map((part, g) => tf.conv3d(part as tf.Tensor5D, filters[g] as tf.Tensor5D, steps, 'valid')), 4);
  }) as tf.Tensor5D;
}

/** Inserts dilation − 1 zeros between the taps of each spatial axis of a [kd, kh, kw, i, o] kernel. */
export function dilateKernel3d(kernel: tf.Tensor5D, dilation: Triple): tf.Tensor5D {
  return tf.tidy(() => dilation.reduce<tf.Tensor>((spaced, d, axis) => spreadAxis(spaced, axis, d), kernel) as tf.Tensor5D);
}

/** `factor` − 1 zeros between consecutive entries along `axis`: length n becomes (n − 1)·factor + 1. */
export function spreadAxis(x: tf.Tensor, axis: number, factor: number): tf.Tensor {
  if (factor === 1) return x;
  const shape = x.shape;
  const n = shape[axis]!;
  // [.., n, ..] → [.., n, 1, ..] padded to [.., n, factor, ..] → [.., n·factor, ..], then the trailing zeros cut.
  const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
  const pads = split.map((_, i) => [0, i === axis + 1 ? factor - 1 : 0] as [number, number]);
  const grid = tf.reshape(tf.pad(tf.reshape(x, split), pads), [...shape.slice(0, axis), n * factor, ...shape.slice(axis + 1)]);
  return tf.slice(grid, shape.map(() => 0), shape.map((size, i) => (i === axis ? (n - 1) * factor + 1 : size)));
}

/**
 * Transposed 3-D convolution, kernel [kd, kh, kw, out, in], as tfjs' conv3dTranspose computes it, with
 * the gradients tfjs does not register for it (dx is the forward convolution of dy, the kernel's the
 * filter gradient of that convolution). 'same' gives input·stride; 'valid' gives (input − 1)·stride +
 * size, from which `crop` positions are removed at each end of every axis (explicit padding).
 */
export function conv3dTranspose(x: tf.Tensor5D, kernel: tf.Tensor5D, outShape: readonly number[], stride: Triple, mode: 'same' | 'valid', crop: Triple): tf.Tensor5D {
  const [kd, kh, kw, filters, inChannels] = kernel.shape;
  if (inChannels !== x.shape[4] || filters !== outShape[3]) {
    throw new GnetError('GN9022', `conv_transpose kernel [${kernel.shape.join(', ')}] does not map ${x.shape[4]} input channels to ${outShape[3]}; create the weights from the layer's own specs`);
  }
  const steps: [number, number, number] = [stride[0], stride[1], stride[2]];
  const spatial = [x.shape[1], x.shape[2], x.shape[3]].map((n, i) => (mode === 'same' ? n * steps[i]! : (n - 1) * steps[i]! + [kd, kh, kw][i]!));
  const run = tf.customGrad((input, filter, save) => {
    const [xs, w] = [input as tf.Tensor5D, filter as tf.Tensor5D];
    (save as tf.GradSaveFunc)([xs, w]);
    const full: [number, number, number, number, number] = [xs.shape[0], spatial[0]!, spatial[1]!, spatial[2]!, filters];
    return {
      value: tf.conv3dTranspose(xs, w, full, steps, mode),
      gradFunc: (dy: tf.Tensor, [savedX, savedW]: tf.Tensor[]) => [
        tf.conv3d(dy as tf.Tensor5D, savedW as tf.Tensor5D, steps, mode),
        tf.engine().runKernel(tf.Conv3DBackpropFilterV2, { x: dy, dy: savedX! }, { strides: steps, pad: mode, filterShape: savedW!.shape }) as tf.Tensor,
      ],
    };
  });
  return tf.tidy(() => {
    const full = run(x, kernel) as tf.Tensor5D;
    if (crop.every((c) => c === 0)) return full;
    return tf.slice(full, [0, crop[0], crop[1], crop[2], 0], [-1, outShape[0]!, outShape[1]!, outShape[2]!, -1]);
  });
}
