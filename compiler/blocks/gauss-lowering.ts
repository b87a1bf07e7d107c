/**
 * How the gauss layer is computed, chosen on shapes at compile time. The lowerings compute the same
 * function; they differ in multiply-adds per example (building the kernels from σ, μ, θ happens once
 * per batch and is not counted). With Vi, Vo the input and output positions (H·W, or D·H·W on a
 * volume) and k the kernel's cells (kh·kw or kd·kh·kw):
 * - combined:    one k conv with W = Σ_n ω·φ             Vo·k·f_in·f_out
 * - basis-first: depthwise of each input channel with the B·Nk basis kernels, then a 1×1 mix
 *                                                          Vo·(k·f_in·B·Nk + f_in·Nk·f_out)
 * - separated:   1×1 f_in → B·Nk (β, at input resolution), depthwise k with φ, 1×1 Nk → f_out/B (λ) per basis
 *                                                          Vi·f_in·B·Nk + Vo·(k·B·Nk + Nk·f_out)
 * On a volume whose kernels are not rotated (θ fixed at 0) every kernel is a product of three 1-D
 * kernels, so the depthwise step of basis-first and separated can run as three 1-D passes (depth, then
 * height, then width), each costing (positions after the pass)·(taps on its axis)·channels:
 * basis-first-axes and separated-axes.
 */
import type { Attrs, Shape } from '../ir/ir.js';
import type { Axes } from './block.js';
import { bool, num, optionalNum, str } from './attr.js';
import { product } from './arith.js';
import { channels, spatialOf } from './feature-map.js';
import { basisSize } from './gauss-weights.js';
import { readWindow, windowAxes, type Window } from './window.js';

export type GaussLowering = 'combined' | 'basis-first' | 'separated' | 'basis-first-axes' | 'separated-axes';

/**
 * A depthwise multiply-add costs several dense ones: depthwise convolutions are memory-bound and
 * their backprop kernels run far below dense convolution on every tfjs backend (wasm, measured by
 * `npm run bench`: depthwise fwd+grad ≈ 0.9 GFLOP/s against ≈ 11 for a dense conv training step).
 * The choice of lowering weighs the depthwise part by this factor; reported MACs stay unweighted.
 */
export const DEPTHWISE_WEIGHT = 8;

export function gaussWindow(attrs: Attrs, rank = 2): Window {
  return readWindow(attrs, rank);
}

/** Kernels fixed unrotated (θ = 0, not trained): each is a product of 1-D kernels along the axes. */
export function unrotated(attrs: Attrs): boolean {
  return !bool(attrs, 'train_theta') && optionalNum(attrs, 'theta_init') === 0;
}

/** Multiply-adds of a depthwise filtering of `count` channels as 1-D passes along each axis in turn. */
function axisPassCost(inSpatial: Axes, outSpatial: Axes, kernel: Axes, count: number): number {
  return kernel.reduce((sum, taps, axis) => {
    const sizes = inSpatial.map((n, i) => (i <= axis ? outSpatial[i]! : n));
    return sum + product(sizes) * taps * count;
  }, 0);
}

/** Multiply-adds per example of one lowering of a gauss layer on an input map (depthwise ones × `depthwiseWeight`). */
export function gaussCost(input: Shape, attrs: Attrs, lowering: GaussLowering, depthwiseWeight = 1): number {
  const inSpatial = spatialOf(input);
  const rank = inSpatial.length;
  const w = gaussWindow(attrs, rank);
  const outSpatial = windowAxes(inSpatial, w).map((a) => a.size);
  const [inPositions, outPositions, cells] = [product(inSpatial), product(outSpatial), product(w.kernel)];
  const [fIn, fOut, bases, nk] = [channels(input), num(attrs, 'filters'), num(attrs, 'bases'), basisSize(num(attrs, 'order'), rank)];
  switch (lowering) {
    case 'combined':
      return outPositions * cells * fIn * fOut;
    case 'basis-first':
      return outPositions * (depthwiseWeight * cells * fIn * bases * nk + fIn * nk * fOut);
    case 'separated':
      return inPositions * fIn * bases * nk + outPositions * (depthwiseWeight * cells * bases * nk + nk * fOut);
    case 'basis-first-axes':
      return depthwiseWeight * axisPassCost(inSpatial, outSpatial, w.kernel, fIn * bases * nk) + outPositions * fIn * nk * fOut;
    case 'separated-axes':
      return inPositions * fIn * bases * nk + depthwiseWeight * axisPassCost(inSpatial, outSpatial, w.kernel, bases * nk) + outPositions * nk * fOut;
  }
}

/** The lowerings a layer may use: a separated mix folds into full weights ω = β·λ, so every lowering computes it. */
export function gaussCandidates(input: Shape, attrs: Attrs): GaussLowering[] {
  const separated = str(attrs, 'mix') === 'separated';
  const candidates: GaussLowering[] = separated ? ['combined', 'basis-first', 'separated'] : ['combined', 'basis-first'];
  if (spatialOf(input).length === 3 && unrotated(attrs)) candidates.push(...(separated ? (['basis-first-axes', 'separated-axes'] as const) : (['basis-first-axes'] as const)));
  return candidates;
}

/**
 * The lowering the compiler emits: the cheapest by weighted cost of those the layer allows (ties: the
 * earlier one). On a one-channel image one dense convolution beats the depthwise path several times over.
 */
export function gaussLowering(input: Shape, attrs: Attrs): { readonly lowering: GaussLowering; readonly macs: number } {
  const candidates = gaussCandidates(input, attrs);
  const weighted = candidates.map((lowering) => gaussCost(input, attrs, lowering, DEPTHWISE_WEIGHT));
  const lowering = candidates[weighted.indexOf(Math.min(...weighted))]!;
  return { lowering, macs: gaussCost(input, attrs, lowering) };
}
