import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from './errors.js';
import { createRng, type Rng } from './rng.js';
import type { Init } from './types.js';

/** Keras' truncated normal keeps |z| ≤ 2 and rescales so the kept variance matches the target. */
const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/** Keras compute_fans: [in, out] → (in, out); [..., in, out] → (in·rf, out·rf), rf = product of leading dims. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** A tensor of `shape` drawn from `init`; the values depend only on (init, shape, seed, key). */
export function initTensor(init: Init, shape: readonly number[], seed: number, key: string): tf.Tensor {
  const dims = [...shape];
  switch (init.kind) {
    case 'zeros':
      return tf.zeros(dims);
    case 'ones':
      return tf.ones(dims);
    case 'constant':
      return tf.fill(dims, init.value);
    default:
      return tf.tensor(sampleValues(init, dims, createRng(seed, key)), dims, 'float32');
  }
}

function sampleValues(init: Init, shape: number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const draw = sampler(init, shape, rng);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = draw();
  return values;
}

function sampler(init: Init, shape: number[], rng: Rng): () => number {
  switch (init.kind) {
    case 'uniform':
      return () => init.min + (init.max - init.min) * rng.uniform();
    case 'normal':
      return () => (init.mean ?? 0) + init.std * rng.normal();
    case 'glorotUniform': {
      const { fanIn, fanOut } = computeFans(shape);
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return () => limit * (2 * rng.uniform() - 1);
    }
    case 'heNormal': {
      const std = Math.sqrt(2 / computeFans(shape).fanIn) / TRUNCATED_NORMAL_STD;
      return () => std * truncatedNormal(rng);
    }
    default:
      throw new GnetError('GN9001', `unknown initialiser '${(init as { kind: string }).kind}'; use one of zeros, ones, constant, uniform, normal, glorotUniform, heNormal`);
  }
}

function truncatedNormal(rng: Rng): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z;
  }
}
