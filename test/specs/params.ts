/**
 * Parameter counts per layer, written from the layers' definitions (PyTorch / Keras docs and
 * docs/gauss-layer.md §4), independently of the compiler's weight lists.
 */

/** k×k convolution, cin → cout (PyTorch Conv2d / ConvTranspose2d hold the same number). */
export const conv = (k: number, cin: number, cout: number, bias = true): number => k * k * cin * cout + (bias ? cout : 0);

export const dense = (unitsIn: number, unitsOut: number): number => unitsIn * unitsOut + unitsOut;

/** Batch norm: γ and β are trained, the moving mean and variance are not. */
export const bnTrainable = (channels: number): number => 2 * channels;
/** batchnorm(scale = false): only β is trained. */
export const bnShiftOnly = (channels: number): number => channels;
export const bnMoving = (channels: number): number => 2 * channels;

/** Kernels in a Gaussian-derivative basis of order K. */
export const basisSize = (order: number): number => ((order + 1) * (order + 2)) / 2;

/** σ (2), μ (2), θ (1) per kernel of every basis. */
export const gaussianParams = (bases: number, order: number): number => 5 * bases * basisSize(order);

export const gaussFull = (cin: number, cout: number, bases: number, order: number, bias = false): number =>
  gaussianParams(bases, order) + cin * cout * basisSize(order) + (bias ? cout : 0);

export const gaussSeparated = (cin: number, cout: number, bases: number, order: number): number =>
  gaussianParams(bases, order) + basisSize(order) * (bases * cin + cout);

/**
 * Displaced aggregation units (Tabernik et al. 2018): every input–output filter is a sum of `units`
 * Gaussians, each with a weight, a 2-D position and (learned per unit here, as the gauss paper's
 * Table 1 did) a scale σ.
 */
export const dauUnits = (cin: number, cout: number, units: number): number => cin * cout * units * (1 + 2 + 1);

/** Squeeze-and-excitation (Hu et al.): dense C → C/r → C, both with bias. */
export function squeezeExcite(channels: number, ratio: number): number {
  const squeezed = Math.max(1, Math.floor(channels / ratio));
  return dense(channels, squeezed) + dense(squeezed, channels);
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** k×k×k convolution on volumes, cin → cout (PyTorch Conv3d). */
export const conv3d = (k: number, cin: number, cout: number, bias = true): number => k * k * k * cin * cout + (bias ? cout : 0);

/** Kernels G_{p,q,r} with p + q + r ≤ K in a volume basis (docs/gauss-layer.md §10). */
export const basisSize3d = (order: number): number => ((order + 1) * (order + 2) * (order + 3)) / 6;

/** A volume gauss layer, full mix: σ (3), μ (3), θ (3 angles) per kernel of every basis, and ω. */
export const gaussFull3d = (cin: number, cout: number, bases: number, order: number): number => 9 * bases * basisSize3d(order) + cin * cout * basisSize3d(order);

/** Group (and instance) norm: γ and β per channel, no statistics kept. */
export const groupNorm = (channels: number): number => 2 * channels;
