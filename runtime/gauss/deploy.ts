import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import type { GaussConfig, GaussWeights } from './config.js';
import { gaussKernels } from './kernels.js';
import { fullOmega } from './lowerings.js';
import { combineFilters } from './mix.js';
import { checkGaussWeights } from './shapes.js';

/** A frozen ordinary convolution equal to the layer: kernel [kh, kw, f_in, f_out] and a copy of the bias. */
export interface DeployedConv {
  readonly kernel: tf.Tensor4D;
  readonly bias?: tf.Tensor1D;
}

/**
 * Computes the layer's kernels once and folds the mix into them (a separated mix folds β and λ
 * through ω = β·λ), so inference is one tf.conv2d with the layer's stride and padding.
 */
export function gaussDeploy(weights: GaussWeights, config: GaussConfig): DeployedConv {
  const mixing = weights.omega ?? weights.beta;
  if (!mixing) {
    throw new GnetError('GN9011', "gauss weights hold neither 'omega' (mix full) nor 'beta' (mix separated); create the weights from the layer's own specs");
  }
  checkGaussWeights(weights, config, mixing.shape[1] ?? 0);
  return tf.tidy(() => {
    const phi = gaussKernels(weights.sigma, weights.mu, weights.theta, config.order, config.size);
    const kernel = combineFilters(phi, fullOmega(weights));
    return weights.bias ? { kernel, bias: tf.clone(weights.bias) as tf.Tensor1D } : { kernel };
  });
}
