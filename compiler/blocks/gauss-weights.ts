/**
 * Weights of the gauss layer (docs/gauss-layer.md §3–§5, §10 for volumes): per basis b and kernel n,
 * σ (one per spatial axis, or 1 when isotropic), μ (one per axis) and the orientation θ (one angle on
 * an image, three Euler angles on a volume); then the mixing weights of the chosen mix; then an
 * optional bias.
 */
import type { Attrs } from '../ir/ir.js';
import type { Init, WeightSpec } from './block.js';
import { bool, num, optionalNum, str } from './attr.js';
import { biasWeight } from './weights.js';

/** Kernels in a basis of order K on `rank` spatial axes: every (p, q[, r]) with p + q (+ r) ≤ K, i.e. C(K + rank, rank). */
export function basisSize(order: number, rank = 2): number {
  return rank === 3 ? ((order + 1) * (order + 2) * (order + 3)) / 6 : ((order + 1) * (order + 2)) / 2;
}

/** Angles per kernel: θ in the image plane; on a volume three Euler angles (docs/gauss-layer.md §10). */
export function orientationAngles(rank: number): number {
  return rank === 3 ? 3 : 1;
}

/** The reference's random initialiser, or a constant when the spec fixes the value. */
function initOr(attrs: Attrs, name: string, random: Init): Init {
  const fixed = optionalNum(attrs, name);
  return fixed === null ? random : { kind: 'constant', value: fixed };
}

/**
 * The mixing weights' initialiser (docs/gauss-layer.md §5): `normal`, the reference repository's
 * current version (2023-03-06), N(0, (√2 / (fan sum))²); `uniform`, its 2022 versions (the ICIP 2022
 * paper's code), U(−1, 1) for ω, β and λ alike.
 */
function mixInit(attrs: Attrs, std: number): Init {
  return str(attrs, 'mix_init') === 'uniform' ? { kind: 'uniform', min: -1, max: 1 } : { kind: 'normal', std };
}

function mixWeights(inChannels: number, attrs: Attrs, nk: number): WeightSpec[] {
  const [filters, bases] = [num(attrs, 'filters'), num(attrs, 'bases')];
  const perBasis = filters / bases;
  if (str(attrs, 'mix') === 'full') {
    return [{ name: 'omega', shape: [bases, inChannels, perBasis, nk], trainable: true, init: mixInit(attrs, Math.SQRT2 / (inChannels + filters)) }];
  }
  return [
    { name: 'beta', shape: [bases, inChannels, nk], trainable: true, init: mixInit(attrs, Math.SQRT2 / (inChannels + nk * bases)) },
    { name: 'lambda', shape: [bases, nk, perBasis], trainable: true, init: mixInit(attrs, Math.SQRT2 / (filters + nk * bases)) },
  ];
}

/** The layer's weights on `inChannels` input channels over `rank` spatial axes (2: an image, 3: a volume). */
export function gaussWeights(inChannels: number, attrs: Attrs, rank = 2): WeightSpec[] {
  const [bases, nk] = [num(attrs, 'bases'), basisSize(num(attrs, 'order'), rank)];
  const sigmaAxes = bool(attrs, 'isotropic') ? 1 : rank;
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
    { name: 'mu', shape: [bases, nk, rank], trainable: bool(attrs, 'train_mu'), init: initOr(attrs, 'mu_init', { kind: 'uniform', min: -1, max: 1 }), decays: false },
    {
      name: 'theta',
      shape: [bases, nk, orientationAngles(rank)],
      trainable: bool(attrs, 'train_theta'),
      init: initOr(attrs, 'theta_init', { kind: 'uniform', min: -Math.PI, max: Math.PI }),
      decays: false,
    },
  ];
  const bias = bool(attrs, 'bias') ? [biasWeight(num(attrs, 'filters'))] : [];
  return [...gaussian, ...mixWeights(inChannels, attrs, nk), ...bias];
}
