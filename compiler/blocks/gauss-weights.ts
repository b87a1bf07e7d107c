/**
 * Weights of the gauss layer (docs/gauss-layer.md §3–§5): per basis b and kernel n, σ (2, or 1 when
 * isotropic), μ (2) and θ (1); then the mixing weights of the chosen mix; then an optional bias.
 */
import type { Attrs } from '../ir/ir.js';
import type { Init, WeightSpec } from './block.js';
import { bool, num, optionalNum, str } from './attr.js';
import { biasWeight } from './weights.js';

/** Kernels in a basis of order K: every (p, q) with p + q ≤ K. */
export function basisSize(order: number): number {
  return ((order + 1) * (order + 2)) / 2;
}

/** The reference's random initialiser, or a constant when the spec fixes the value. */
function initOr(attrs: Attrs, name: string, random: Init): Init {
  const fixed = optionalNum(attrs, name);
  return fixed === null ? random : { kind: 'constant', value: fixed };
}

const normal = (std: number): Init => ({ kind: 'normal', std });

function mixWeights(inChannels: number, attrs: Attrs): WeightSpec[] {
  const [filters, bases, nk] = [num(attrs, 'filters'), num(attrs, 'bases'), basisSize(num(attrs, 'order'))];
  const perBasis = filters / bases;
  if (str(attrs, 'mix') === 'full') {
    return [{ name: 'omega', shape: [bases, inChannels, perBasis, nk], trainable: true, init: normal(Math.SQRT2 / (inChannels + filters)) }];
  }
  return [
    { name: 'beta', shape: [bases, inChannels, nk], trainable: true, init: normal(Math.SQRT2 / (inChannels + nk * bases)) },
    { name: 'lambda', shape: [bases, nk, perBasis], trainable: true, init: normal(Math.SQRT2 / (filters + nk * bases)) },
  ];
}

export function gaussWeights(inChannels: number, attrs: Attrs): WeightSpec[] {
  const [bases, nk] = [num(attrs, 'bases'), basisSize(num(attrs, 'order'))];
  const sigmaAxes = bool(attrs, 'isotropic') ? 1 : 2;
  const gaussian: WeightSpec[] = [
    {
      name: 'sigma',
      shape: [bases, nk, sigmaAxes],
      trainable: bool(attrs, 'train_sigma'),
      init: initOr(attrs, 'sigma_init', { kind: 'uniform', min: 0.5, max: 2 }),
      minValue: 0.2,
      decays: false,
    },
    // Geometry, not filter weights: decaying σ, μ, θ towards 0 would shrink and recentre every kernel.
    { name: 'mu', shape: [bases, nk, 2], trainable: bool(attrs, 'train_mu'), init: initOr(attrs, 'mu_init', { kind: 'uniform', min: -1, max: 1 }), decays: false },
    { name: 'theta', shape: [bases, nk, 1], trainable: bool(attrs, 'train_theta'), init: initOr(attrs, 'theta_init', { kind: 'uniform', min: -Math.PI, max: Math.PI }), decays: false },
  ];
  const bias = bool(attrs, 'bias') ? [biasWeight(num(attrs, 'filters'))] : [];
  return [...gaussian, ...mixWeights(inChannels, attrs), ...bias];
}
