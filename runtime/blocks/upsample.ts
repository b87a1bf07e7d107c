import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';

/**
 * Upsampling by integer factors, as Keras UpSampling2D / UpSampling3D: 'nearest' repeats pixels,
 * 'bilinear' interpolates linearly along every spatial axis (trilinear on an NDHWC volume) with
 * half-pixel centres (tf.image.resize). The interpolation is built from gathers so the gradient is
 * exact (tfjs' CPU resizeBilinear gradient ignores half-pixel centres).
 */
export function upsample<T extends tf.Tensor4D | tf.Tensor5D>(x: T, factor: readonly number[], mode: 'nearest' | 'bilinear'): T {
  if (factor.length !== x.rank - 2 || !factor.every((f) => Number.isInteger(f) && f >= 1)) {
    throw new GnetError('GN9023', `upsample factor [${factor.join(', ')}] must hold one positive integer per spatial axis of the ${x.rank}-D input; use e.g. 2 or [${Array(x.rank - 2).fill(2).join(', ')}]`);
  }
  if (mode !== 'nearest' && mode !== 'bilinear') {
    throw new GnetError('GN9023', `unknown upsample mode '${mode}'; use 'nearest' or 'bilinear'`);
  }
  if (mode === 'nearest') return tf.tidy(() => repeatPixels(factor)(x)) as T;
  return tf.tidy(() => factor.reduce<tf.Tensor>((y, f, i) => resizeAxis(y, i + 1, f), x)) as T;
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
 * axis. Backward: the sum of each block of dy, as an average pool × the block's cells. Autodiff's own
 * gradients are far slower here: a gather's is UnsortedSegmentSum (slow on wasm and cpu), the
 * broadcast's a middle-axis reduction (slow on WebGPU); tf.image.resizeNearestNeighbor's is wrong on
 * tfjs-cpu 4.22 for batch > 1.
 */
function repeatPixels(factor: readonly number[]): (x: tf.Tensor) => tf.Tensor {
  const cells = factor.reduce((a, b) => a * b, 1);
  return tf.customGrad((input) => {
    const x = input as tf.Tensor;
    const shape = [...x.shape];
    let value: tf.Tensor = x;
    factor.forEach((f, i) => {
      // Axis i + 1 repeated f times: [everything up to it, 1, everything after] × [1, f, 1].
      const [before, after] = [product(shape.slice(0, i + 2)), product(shape.slice(i + 2))];
      value = tf.mul(tf.reshape(value, [before, 1, after]), tf.ones([1, f, 1]));
      shape[i + 1] = shape[i + 1]! * f;
    });
    return {
      value: tf.reshape(value, shape),
      gradFunc: (dy: tf.Tensor) => tf.mul(blockMean(dy, factor), cells),
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function blockMean(dy: tf.Tensor, factor: readonly number[]): tf.Tensor {
  if (factor.length === 2) return tf.avgPool(dy as tf.Tensor4D, [factor[0]!, factor[1]!], [factor[0]!, factor[1]!], 'valid');
  const f: [number, number, number] = [factor[0]!, factor[1]!, factor[2]!];
  return tf.avgPool3d(dy as tf.Tensor5D, f, f, 'valid');
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
