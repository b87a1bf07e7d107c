import * as tf from '@tensorflow/tfjs-core';
import type { GaussLowering, GaussWeights } from './config.js';
import { combineFilters, mixPerBasis, omegaFromSeparated } from './mix.js';

/**
 * The three ways to compute a gauss layer from its kernels phi [kh, kw, B, Nk]. The caller has checked
 * the weights against the mix (so 'separated' has β and λ) and padded the input for explicit padding,
 * so `pad` is what tfjs understands. None adds the bias.
 */
type Lowering = (x: tf.Tensor4D, phi: tf.Tensor4D, weights: GaussWeights, stride: [number, number], pad: 'same' | 'valid') => tf.Tensor4D;

/** Full-mix weights ω [B, f_in, F, Nk], folding a separated mix into one when needed. */
export function fullOmega(weights: GaussWeights): tf.Tensor {
  return weights.omega ?? omegaFromSeparated(weights.beta!, weights.lambda!);
}

/** One k×k×f_in×f_out convolution with W = Σ_n ω·φ (cheap when B·Nk is large against f_out). */
const combined: Lowering = (x, phi, weights, stride, pad) => tf.conv2d(x, combineFilters(phi, fullOmega(weights)), stride, pad);

/** Every input channel convolved with all B·Nk kernels (depthwise), then a per-basis 1×1 mix f_in·Nk → F. */
const basisFirst: Lowering = (x, phi, weights, stride, pad) => {
  const [kh, kw, bases, count] = phi.shape;
  const fIn = x.shape[3];
  const omega = fullOmega(weights);
  const bank = tf.tile(tf.reshape(phi, [kh, kw, 1, bases * count]), [1, 1, fIn, 1]) as tf.Tensor4D;
  const responses = tf.depthwiseConv2d(x, bank, stride, pad); // channel i·B·Nk + b·Nk + n
  const [n, h, w] = responses.shape;
  const byBasis = tf.reshape(tf.transpose(tf.reshape(responses, [n * h * w, fIn, bases, count]), [2, 0, 1, 3]), [bases, n * h * w, fIn * count]);
  const mixing = tf.reshape(tf.transpose(omega, [0, 1, 3, 2]), [bases, fIn * count, omega.shape[2] ?? 0]);
  return mixPerBasis(byBasis as tf.Tensor3D, mixing as tf.Tensor3D, [n, h, w]);
};

/** Paper eq. 4 as three cheap steps: 1×1 f_in → B·Nk (β), depthwise k×k with φ, per-basis 1×1 Nk → F (λ). */
const separated: Lowering = (x, phi, weights, stride, pad) => {
  const [kh, kw, bases, count] = phi.shape;
  const [batch, height, width, fIn] = x.shape;
  const projection = tf.reshape(tf.transpose(weights.beta!, [1, 0, 2]), [fIn, bases * count]) as tf.Tensor2D;
  const projected = tf.reshape(tf.matMul(tf.reshape(x, [batch * height * width, fIn]), projection), [batch, height, width, bases * count]);
  const responses = tf.depthwiseConv2d(projected as tf.Tensor4D, tf.reshape(phi, [kh, kw, bases * count, 1]) as tf.Tensor4D, stride, pad);
  const [n, h, w] = responses.shape;
  const byBasis = tf.transpose(tf.reshape(responses, [n * h * w, bases, count]), [1, 0, 2]);
  return mixPerBasis(byBasis as tf.Tensor3D, weights.lambda! as tf.Tensor3D, [n, h, w]);
};

export const LOWERINGS: Readonly<Record<GaussLowering, Lowering>> = { combined, 'basis-first': basisFirst, separated };
