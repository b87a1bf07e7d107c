import type * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../errors.js';
import { basisSize, basisSize3d } from './basis.js';
import type { GaussConfig, GaussWeights } from './config.js';

type ShapeConfig = Pick<GaussConfig, 'order' | 'bases' | 'mix' | 'isotropic'> & { readonly bias: boolean };

/** The shape of every weight a gauss layer f_in → f_out over `axes` spatial axes owns (blocks.md, gauss row). */
export function gaussWeightShapes(config: ShapeConfig, fIn: number, fOut: number, axes = 2): Record<string, number[]> {
  const { bases } = config;
  const count = axes === 3 ? basisSize3d(config.order) : basisSize(config.order);
  const perBasis = fOut / bases;
  if (!Number.isInteger(perBasis)) {
    throw new GnetError('GN9012', `gauss bases ${bases} do not divide ${fOut} filters; choose filters as a multiple of bases`);
  }
  const shapes: Record<string, number[]> = {
    sigma: [bases, count, config.isotropic ? 1 : axes],
    mu: [bases, count, axes],
    theta: [bases, count, axes === 3 ? 3 : 1],
  };
  if (config.mix === 'full') {
    shapes.omega = [bases, fIn, perBasis, count];
  } else {
    shapes.beta = [bases, fIn, count];
    shapes.lambda = [bases, count, perBasis];
  }
  if (config.bias) shapes.bias = [fOut];
  return shapes;
}

/**
 * f_out from the weights, after checking every weight against gaussWeightShapes;
 * a missing, extra or misshapen weight is a GnetError.
 */
export function checkGaussWeights(weights: GaussWeights, config: Pick<GaussConfig, 'order' | 'bases' | 'mix' | 'isotropic'>, fIn: number, axes = 2): number {
  const fOut = outputChannels(weights, config);
  const expected = gaussWeightShapes({ ...config, bias: weights.bias !== undefined }, fIn, fOut, axes);
  const given = weights as unknown as Record<string, tf.Tensor | undefined>;
  for (const name of ['sigma', 'mu', 'theta', 'omega', 'beta', 'lambda']) {
    const want = expected[name];
    const have = given[name];
    if (want === undefined && have === undefined) continue;
    if (want === undefined) {
      throw new GnetError('GN9013', `gauss weight '${name}' is not used by mix '${config.mix}'; drop it or change the mix`);
    }
    if (have === undefined || !sameShape(have.shape, want)) {
      const found = have === undefined ? 'is missing' : `has shape [${have.shape.join(', ')}]`;
      throw new GnetError('GN9011', `gauss weight '${name}' ${found}, expected [${want.join(', ')}]; create the weights from the layer's own specs`);
    }
  }
  if (weights.bias !== undefined && !sameShape(weights.bias.shape, expected.bias)) {
    throw new GnetError('GN9011', `gauss weight 'bias' has shape [${weights.bias.shape.join(', ')}], expected [${fOut}]; create the weights from the layer's own specs`);
  }
  return fOut;
}

function outputChannels(weights: GaussWeights, config: Pick<GaussConfig, 'bases' | 'mix'>): number {
  const [name, mixing, rank] = config.mix === 'full' ? ['omega', weights.omega, 4] : ['lambda', weights.lambda, 3];
  if (mixing === undefined || mixing.rank !== rank) {
    const found = mixing === undefined ? 'is missing' : `has shape [${mixing.shape.join(', ')}]`;
    throw new GnetError('GN9011', `gauss weight '${name}' ${found}, expected rank ${rank} for mix '${config.mix}'; create the weights from the layer's own specs`);
  }
  // The per-basis output count F is axis 2 of both omega [B,f_in,F,Nk] and lambda [B,Nk,F].
  return config.bases * mixing.shape[2]!;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
