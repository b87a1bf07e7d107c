import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { padForConv } from '../padding.js';
import type { GaussConfig, GaussWeights } from './config.js';
import { gaussKernels } from './kernels.js';
import { LOWERINGS } from './lowerings.js';
import { checkGaussWeights } from './shapes.js';

/**
 * The gauss layer (docs/gauss-layer.md §3) on an NHWC batch: kernels from (σ, μ, θ), then the mix through
 * the lowering the compiler chose. Every lowering gives the same numbers up to float rounding.
 */
export function gaussConv2d(x: tf.Tensor4D, weights: GaussWeights, config: GaussConfig): tf.Tensor4D {
  checkLowering(config);
  checkGaussWeights(weights, config, x.shape[3]);
  return tf.tidy(() => {
    const phi = gaussKernels(weights.sigma, weights.mu, weights.theta, config.order, config.size);
    const { input, pad } = padForConv(x, config.padding);
    const out = LOWERINGS[config.lowering](input, phi, weights, [config.stride[0], config.stride[1]], pad);
    return weights.bias ? tf.add(out, weights.bias) : out;
  });
}

function checkLowering(config: GaussConfig): void {
  if (!(config.lowering in LOWERINGS)) {
    throw new GnetError('GN9014', `unknown gauss lowering '${config.lowering}'; use 'combined', 'basis-first' or 'separated'`);
  }
  if (config.lowering === 'separated' && config.mix !== 'separated') {
    throw new GnetError('GN9014', "gauss lowering 'separated' needs mix 'separated'; use lowering 'combined' or 'basis-first' for mix 'full'");
  }
}
