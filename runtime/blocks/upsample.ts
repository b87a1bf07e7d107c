import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Pair } from '../types.js';

/**
 * Upsampling by integer factors, as Keras UpSampling2D: 'nearest' repeats pixels, 'bilinear' uses
 * half-pixel centres (tf.image.resize). Bilinear is built from gathers so the gradient is exact
 * (tfjs' CPU resizeBilinear gradient ignores half-pixel centres).
 */
export function upsample(x: tf.Tensor4D, factor: Pair, mode: 'nearest' | 'bilinear'): tf.Tensor4D {
  if (!factor.every((f) => Number.isInteger(f) && f >= 1)) {
    throw new GnetError('GN9023', `upsample factor [${factor.join(', ')}] must hold positive integers; use e.g. 2 or [2, 2]`);
  }
  if (mode !== 'nearest' && mode !== 'bilinear') {
    throw new GnetError('GN9023', `unknown upsample mode '${mode}'; use 'nearest' or 'bilinear'`);
  }
  if (mode === 'nearest') return tf.tidy(() => repeatPixels(factor)(x));
  return tf.tidy(() => resizeAxis(resizeAxis(x, 1, factor[0]), 2, factor[1])) as tf.Tensor4D;
}

/** Bilinear along one axis: two gathers weighted by their distances. */
function resizeAxis(x: tf.Tensor, axis: number, factor: number): tf.Tensor {
  if (factor === 1) return x;
  const size = x.shape[axis]!;
  const weightShape = x.shape.map((d, i) => (i === axis ? size * factor : 1));
  const sample = ({ index, weight }: Tap): tf.Tensor => tf.mul(tf.gather(x, tf.tensor1d(index, 'int32'), axis), tf.tensor(weight, weightShape));
  const [low, high] = bilinearTaps(size, factor);
  return tf.add(sample(low), sample(high));
}

/**
 * Nearest upsampling with a hand-written gradient. Forward: broadcasting multiplies by ones, one per
 * axis. Backward: the sum of each fh × fw block of dy, as an average pool × fh·fw. Autodiff's own
 * gradients are far slower here: a gather's is UnsortedSegmentSum (slow on wasm and cpu), the
 * broadcast's a middle-axis reduction (slow on WebGPU); tf.image.resizeNearestNeighbor's is wrong on
 * tfjs-cpu 4.22 for batch > 1.
 */
function repeatPixels([fh, fw]: Pair): (x: tf.Tensor4D) => tf.Tensor4D {
  return tf.customGrad((input) => {
    const x = input as tf.Tensor4D;
    const [n, h, w, c] = x.shape;
    const rows = tf.mul(tf.reshape(x, [n * h, 1, w * c]), tf.ones([1, fh, 1]));
    const both = tf.mul(tf.reshape(rows, [n * h * fh * w, 1, c]), tf.ones([1, fw, 1]));
    return {
      value: tf.reshape(both, [n, h * fh, w * fw, c]),
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.avgPool(dy as tf.Tensor4D, [fh, fw], [fh, fw], 'valid'), fh * fw),
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;
}

interface Tap {
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

/** Source position s = (out + ½)/factor − ½ between its two neighbours, clamped at the borders. */
function bilinearTaps(size: number, factor: number): [Tap, Tap] {
  const length = size * factor;
  const low = { index: new Int32Array(length), weight: new Float32Array(length) };
  const high = { index: new Int32Array(length), weight: new Float32Array(length) };
  for (let out = 0; out < length; out++) {
    const source = (out + 0.5) / factor - 0.5;
    const below = Math.floor(source);
    const fraction = source - below;
    low.index[out] = Math.min(Math.max(below, 0), size - 1);
    high.index[out] = Math.min(Math.max(below + 1, 0), size - 1);
    low.weight[out] = 1 - fraction;
    high.weight[out] = fraction;
  }
  return [low, high];
}
