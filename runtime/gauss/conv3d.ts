import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { padVolume } from '../blocks/pad.js';
import type { Gauss3dConfig, GaussWeights } from './config.js';
import { gaussAxisKernels3d, gaussKernels3d } from './kernels3d.js';
import { LOWERINGS_3D, usesAxisFactors, type Bank } from './lowerings3d.js';
import { checkGaussWeights } from './shapes.js';

/**
 * The gauss layer on an NDHWC volume (docs/gauss-layer.md §10): kernels from (σ, μ, θ), the input padded
 * by the compiler's [before, after] per axis, then the mix through the lowering the compiler chose.
 * Every lowering gives the same numbers up to float rounding; the '-axes' ones need unrotated kernels
 * (θ fixed at 0), which the compiler only picks then.
 */
export function gaussConv3d(x: tf.Tensor5D, weights: GaussWeights, config: Gauss3dConfig): tf.Tensor5D {
  checkLowering3d(config);
  checkGaussWeights(weights, config, x.shape[4], 3);
  return tf.tidy(() => {
    const bank: Bank = usesAxisFactors(config.lowering)
      ? { axes: gaussAxisKernels3d(weights.sigma, weights.mu, config.order, config.size) }
      : { phi: gaussKernels3d(weights.sigma, weights.mu, weights.theta, config.order, config.size) };
    const out = LOWERINGS_3D[config.lowering](padVolume(x, config.padding, 0), bank, weights, config.stride);
    return weights.bias ? tf.add(out, weights.bias) : out;
  });
}

function checkLowering3d(config: Gauss3dConfig): void {
  if (!(config.lowering in LOWERINGS_3D)) {
    throw new GnetError('GN9014', `unknown gauss lowering '${config.lowering}'; use 'combined', 'basis-first', 'separated', 'basis-first-axes' or 'separated-axes'`);
  }
  if (config.lowering.startsWith('separated') && config.mix !== 'separated') {
    throw new GnetError('GN9014', `gauss lowering '${config.lowering}' needs mix 'separated'; use lowering 'combined' or 'basis-first' for mix 'full'`);
  }
}
