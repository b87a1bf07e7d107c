import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { Gauss3dConfig, GaussConfig, GaussWeights } from './config.js';
import { gaussKernels } from './kernels.js';
import { gaussKernels3d } from './kernels3d.js';
import { fullOmega } from './lowerings.js';
import { combineFilters } from './mix.js';
import { checkGaussWeights } from './shapes.js';

/** A frozen ordinary convolution equal to the layer: kernel [kh, kw, f_in, f_out] ([kd, kh, kw, …] on a volume) and a copy of the bias. */
export interface DeployedConv<K extends tf.Tensor = tf.Tensor4D> {
  readonly kernel: K;
  readonly bias?: tf.Tensor1D;
}

/**
 * Computes the layer's kernels once and folds the mix into them (a separated mix folds β and λ
 * through ω = β·λ), so inference is one tf.conv2d with the layer's stride and padding.
 */
export function gaussDeploy(weights: GaussWeights, config: GaussConfig): DeployedConv;
export function gaussDeploy(weights: GaussWeights, config: Gauss3dConfig): DeployedConv<tf.Tensor5D>;
export function gaussDeploy(weights: GaussWeights, config: GaussConfig | Gauss3dConfig): DeployedConv<tf.Tensor4D | tf.Tensor5D>;
export function gaussDeploy(weights: GaussWeights, config: GaussConfig | Gauss3dConfig): DeployedConv<tf.Tensor4D | tf.Tensor5D> {
  const mixing = weights.omega ?? weights.beta;
  if (!mixing) {
    throw new GnetError('GN9011', "gauss weights hold neither 'omega' (mix full) nor 'beta' (mix separated); create the weights from the layer's own specs");
  }
  const volume = isVolume(config);
  checkGaussWeights(weights, config, mixing.shape[1] ?? 0, volume ? 3 : 2);
  return tf.tidy(() => {
    const phi = volume
      ? gaussKernels3d(weights.sigma, weights.mu, weights.theta, config.order, config.size)
      : gaussKernels(weights.sigma, weights.mu, weights.theta, config.order, config.size);
    const kernel = combineFilters(phi, fullOmega(weights));
    return weights.bias ? { kernel, bias: tf.clone(weights.bias) as tf.Tensor1D } : { kernel };
  });
}

/** A volume layer's configuration: three kernel axes. */
export function isVolume(config: GaussConfig | Gauss3dConfig): config is Gauss3dConfig {
  return config.size.length === 3;
}
