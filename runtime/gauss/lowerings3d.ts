import * as tf from '@tensorflow/tfjs-core';
import { conv3d } from '../blocks/volume-conv.js';
import type { GaussLowering3d, GaussWeights } from './config.js';
import type { Triple } from './kernels3d.js';
import { fullOmega } from './lowerings.js';
import { combineFilters, mixPerBasis } from './mix.js';

/**
 * The ways to compute a volume gauss layer (docs/gauss-layer.md §10), on an input already padded (every
 * op runs 'valid'). `bank` gives the kernels: phi [kd, kh, kw, B, Nk], or for the '-axes' lowerings the
 * 1-D factors [depth, height, width] of unrotated kernels, each [k, B·Nk]. None adds the bias.
 */
export type Bank = { readonly phi: tf.Tensor5D } | { readonly axes: readonly [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] };
type Lowering3d = (x: tf.Tensor5D, bank: Bank, weights: GaussWeights, stride: Triple) => tf.Tensor5D;

const NO_DILATION: Triple = [1, 1, 1];
const phiOf = (bank: Bank): tf.Tensor5D => ('phi' in bank ? bank.phi : fail('a full kernel bank'));
const axesOf = (bank: Bank) => ('axes' in bank ? bank.axes : fail('1-D kernel factors'));
function fail(what: string): never {
  throw new Error(`internal: this gauss lowering needs ${what}`);
}

/** One k×k×k×f_in×f_out convolution with W = Σ_n ω·φ. */
const combined: Lowering3d = (x, bank, weights, stride) => tf.conv3d(x, combineFilters(phiOf(bank), fullOmega(weights)), [stride[0], stride[1], stride[2]], 'valid');

/** The per-basis mix of responses with channel i·B·Nk + b·Nk + n (input i, basis b, kernel n) to B·F outputs (ω). */
function mixResponses(responses: tf.Tensor5D, weights: GaussWeights, fIn: number, bases: number, count: number): tf.Tensor5D {
  const [n, d, h, w] = responses.shape;
  const omega = fullOmega(weights);
  const byBasis = tf.reshape(tf.transpose(tf.reshape(responses, [n * d * h * w, fIn, bases, count]), [2, 0, 1, 3]), [bases, n * d * h * w, fIn * count]);
  const mixing = tf.reshape(tf.transpose(omega, [0, 1, 3, 2]), [bases, fIn * count, omega.shape[2]!]);
  return mixPerBasis<tf.Tensor5D>(byBasis as tf.Tensor3D, mixing as tf.Tensor3D, [n, d, h, w]);
}

/** β: the 1×1×1 projection f_in → B·Nk of the separated mix. */
function project(x: tf.Tensor5D, beta: tf.Tensor): tf.Tensor5D {
  const [batch, d, h, w, fIn] = x.shape;
  const [bases, , count] = beta.shape as [number, number, number];
  const projection = tf.reshape(tf.transpose(beta, [1, 0, 2]), [fIn, bases * count]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(tf.reshape(x, [batch * d * h * w, fIn]), projection), [batch, d, h, w, bases * count]);
}

/** λ: per basis, the B·Nk responses mixed to F outputs each. */
function mixSeparated(responses: tf.Tensor5D, weights: GaussWeights, bases: number, count: number): tf.Tensor5D {
  const [n, d, h, w] = responses.shape;
  const byBasis = tf.transpose(tf.reshape(responses, [n * d * h * w, bases, count]), [1, 0, 2]);
  return mixPerBasis<tf.Tensor5D>(byBasis as tf.Tensor3D, weights.lambda! as tf.Tensor3D, [n, d, h, w]);
}

/** Every input channel convolved with all B·Nk kernels (a grouped conv3d, one group per input channel), then the ω mix. */
const basisFirst: Lowering3d = (x, bank, weights, stride) => {
  const phi = phiOf(bank);
  const [kd, kh, kw, bases, count] = phi.shape;
  const fIn = x.shape[4];
  // Output channel i·B·Nk + k of group i is kernel k: [cells, 1, B·Nk] repeated over the f_in groups.
  const filter = tf.reshape(tf.tile(tf.reshape(phi, [kd * kh * kw, 1, bases * count]), [1, fIn, 1]), [kd, kh, kw, 1, fIn * bases * count]) as tf.Tensor5D;
  return mixResponses(conv3d(x, filter, stride, [[0, 0], [0, 0], [0, 0]], NO_DILATION, fIn), weights, fIn, bases, count);
};

/** Paper eq. 4 in 3-D: β, each of the B·Nk channels convolved with its own kernel (groups = B·Nk), λ. */
const separated: Lowering3d = (x, bank, weights, stride) => {
  const phi = phiOf(bank);
  const [kd, kh, kw, bases, count] = phi.shape;
  const responses = conv3d(project(x, weights.beta!), tf.reshape(phi, [kd, kh, kw, 1, bases * count]) as tf.Tensor5D, stride, [[0, 0], [0, 0], [0, 0]], NO_DILATION, bases * count);
  return mixSeparated(responses, weights, bases, count);
};

/**
 * Depthwise filtering by unrotated kernels as three 1-D passes (depth, height, width), each a 2-D
 * depthwise convolution of the volume folded to 4-D: channel c of the input gets `multiplier` outputs
 * c·multiplier + m filtered with factor m (the factors repeat over the input channels).
 */
function axisPasses(x: tf.Tensor5D, [depth, height, width]: readonly [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D], stride: Triple, multiplier: number): tf.Tensor5D {
  const [n, d, h, w, c] = x.shape;
  const kernels = depth.shape[1];
  // [k, K] → [kh, kw, channels, perChannel]: output channel j of a pass is filtered with factor j mod K.
  const filter = (factor: tf.Tensor2D, shape: readonly [number, number], channels: number, perChannel: number) =>
    tf.reshape(tf.tile(factor, [1, (channels * perChannel) / kernels]), [shape[0], shape[1], channels, perChannel]) as tf.Tensor4D;
  const [kd, kh, kw] = [depth.shape[0], height.shape[0], width.shape[0]];
  const alongDepth = tf.depthwiseConv2d(tf.reshape(x, [n, d, h * w, c]) as tf.Tensor4D, filter(depth, [kd, 1], c, multiplier), [stride[0], 1], 'valid');
  const od = alongDepth.shape[1];
  const cm = c * multiplier;
  const alongHeight = tf.depthwiseConv2d(tf.reshape(alongDepth, [n * od, h, w, cm]) as tf.Tensor4D, filter(height, [kh, 1], cm, 1), [stride[1], 1], 'valid');
  const alongWidth = tf.depthwiseConv2d(alongHeight, filter(width, [1, kw], cm, 1), [1, stride[2]], 'valid');
  const [, oh, ow] = alongWidth.shape;
  return tf.reshape(alongWidth, [n, od, oh, ow, cm]);
}

const basisFirstAxes: Lowering3d = (x, bank, weights, stride) => {
  const factors = axesOf(bank);
  const [bases, count] = [weights.sigma.shape[0]!, weights.sigma.shape[1]!];
  return mixResponses(axisPasses(x, factors, stride, bases * count), weights, x.shape[4], bases, count);
};

const separatedAxes: Lowering3d = (x, bank, weights, stride) => {
  const [bases, count] = [weights.sigma.shape[0]!, weights.sigma.shape[1]!];
  return mixSeparated(axisPasses(project(x, weights.beta!), axesOf(bank), stride, 1), weights, bases, count);
};

export const LOWERINGS_3D: Readonly<Record<GaussLowering3d, Lowering3d>> = {
  combined,
  'basis-first': basisFirst,
  separated,
  'basis-first-axes': basisFirstAxes,
  'separated-axes': separatedAxes,
};

/** Whether a lowering filters with 1-D factors (unrotated kernels only). */
export const usesAxisFactors = (lowering: GaussLowering3d): boolean => lowering.endsWith('-axes');
