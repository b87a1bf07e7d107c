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
  return tf.tidy(() => resizeAxis(resizeAxis(x, 1, factor[0], mode), 2, factor[1], mode)) as tf.Tensor4D;
}

function resizeAxis(x: tf.Tensor, axis: number, factor: number, mode: 'nearest' | 'bilinear'): tf.Tensor {
  if (factor === 1) return x;
  const size = x.shape[axis];
  if (mode === 'nearest') return repeatAxis(x, axis, factor);
  const weightShape = x.shape.map((d, i) => (i === axis ? size * factor : 1));
  const sample = ({ index, weight }: Tap): tf.Tensor => tf.mul(tf.gather(x, tf.tensor1d(index, 'int32'), axis), tf.tensor(weight, weightShape));
  const [low, high] = bilinearTaps(size, factor);
  return tf.add(sample(low), sample(high));
}

/**
 * Each slice along `axis` repeated `factor` times, as a broadcasting multiply by ones: its gradient
 * is one sum, where a gather's (UnsortedSegmentSum) or tile's (slices) runs ~9× slower on wasm.
 */
function repeatAxis(x: tf.Tensor, axis: number, factor: number): tf.Tensor {
  const outer = x.shape.slice(0, axis + 1).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const repeated = tf.mul(tf.reshape(x, [outer, 1, inner]), tf.ones([1, factor, 1]));
  return tf.reshape(repeated, x.shape.map((d, i) => (i === axis ? d * factor : d)));
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
