import * as tf from '@tensorflow/tfjs-core';
import type { Pair } from '../types.js';
import { cellsPerWindow } from './avg-pool.js';
import { padVolume } from './pad.js';

type Triple = readonly [number, number, number];

/**
 * The lowest float32: padded cells never win a max (TensorFlow and PyTorch skip them), and unlike
 * −∞ it keeps every backend's gradient comparisons finite.
 */
const LOWEST = -3.4028234663852886e38;

/**
 * 3-D max pooling of an NDHWC batch, padded first by [before, after] per spatial axis (cells that
 * never win). It runs as two 2-D max pools — over height and width of every depth slice, then over
 * depth — whose max of maxima is the 3-D max: tfjs-backend-cpu 4.22's MaxPool3DGrad sends the
 * gradient to the wrong cell when a window's height and width differ (its maxPool3dPositions indexes
 * rows by the filter height), while the 2-D pools and their gradients are right on every backend.
 */
export function maxPool3d(x: tf.Tensor5D, size: Triple, stride: Triple, padding: readonly Pair[]): tf.Tensor5D {
  return tf.tidy(() => {
    const padded = padVolume(x, padding, LOWEST);
    const [n, d, h, w, c] = padded.shape;
    const planes = tf.maxPool(tf.reshape(padded, [n * d, h, w, c]) as tf.Tensor4D, [size[1], size[2]], [stride[1], stride[2]], 'valid');
    const [, oh, ow] = planes.shape;
    const depth = tf.maxPool(tf.reshape(planes, [n, d, oh * ow, c]) as tf.Tensor4D, [size[0], 1], [stride[0], 1], 'valid');
    return tf.reshape(depth, [n, depth.shape[1], oh, ow, c]) as tf.Tensor5D;
  });
}

/**
 * 3-D average pooling that leaves padded cells out of the average (TensorFlow semantics): the mean
 * over the zero-padded window times (window cells) / (real cells), a constant per output position, so
 * the gradient of these plain ops is exact.
 */
export function avgPool3d(x: tf.Tensor5D, size: Triple, stride: Triple, padding: readonly Pair[]): tf.Tensor5D {
  return tf.tidy(() => {
    const pooled = tf.avgPool3d(padVolume(x, padding, 0), [size[0], size[1], size[2]], [stride[0], stride[1], stride[2]], 'valid');
    if (padding.every(([before, after]) => before === 0 && after === 0)) return pooled;
    const [, od, oh, ow] = pooled.shape;
    const counts = [od, oh, ow].map((outputs, axis) => cellsPerWindow(x.shape[axis + 1]!, size[axis]!, stride[axis]!, padding[axis]![0], outputs));
    const cells = size[0] * size[1] * size[2];
    const scale = new Float32Array(od * oh * ow);
    counts[0]!.forEach((d, i) => counts[1]!.forEach((h, j) => counts[2]!.forEach((w, k) => (scale[(i * oh + j) * ow + k] = cells / (d * h * w)))));
    return tf.mul(pooled, tf.tensor5d(scale, [1, od, oh, ow, 1]));
  });
}

