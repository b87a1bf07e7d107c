/**
 * How the gauss layer is computed, chosen on shapes at compile time. The three lowerings compute
 * the same function; they differ in multiply-adds per example (building the kernels from σ, μ, θ
 * happens once per batch and is not counted):
 * - combined:    one k×k conv with W = Σ_n ω·φ          Ho·Wo·kh·kw·f_in·f_out
 * - basis-first: depthwise of each input channel with the B·Nk basis kernels, then a 1×1 mix
 *                                                       Ho·Wo·(kh·kw·f_in·B·Nk + f_in·Nk·f_out)
 * - separated:   1×1 f_in → B·Nk (β, at input resolution), depthwise k×k with φ, 1×1 Nk → f_out/B (λ) per basis
 *                                                       Hi·Wi·f_in·B·Nk + Ho·Wo·(kh·kw·B·Nk + Nk·f_out)
 */
import type { Attrs, Shape } from '../ir/ir.js';
import type { Pair } from './block.js';
import { num, pair, padding, rounding, str } from './attr.js';
import { basisSize } from './gauss-weights.js';
import { windowAxes, type Window } from './window.js';

export type GaussLowering = 'combined' | 'basis-first' | 'separated';

/**
 * A depthwise multiply-add costs several dense ones: depthwise convolutions are memory-bound and
 * their backprop kernels run far below dense convolution on every tfjs backend (wasm, measured by
 * `npm run bench`: depthwise fwd+grad ≈ 0.9 GFLOP/s against ≈ 11 for a dense conv training step).
 * The choice of lowering weighs the depthwise part by this factor; reported MACs stay unweighted.
 */
export const DEPTHWISE_WEIGHT = 8;

export function gaussWindow(attrs: Attrs): Window {
  return { kernel: pair(attrs, 'size'), stride: pair(attrs, 'stride'), dilation: [1, 1], padding: padding(attrs), round: rounding(attrs) };
}

function outputPixels(input: Shape, attrs: Attrs): number {
  const [h, w] = windowAxes([input[0]!, input[1]!] as Pair, gaussWindow(attrs));
  return h.size * w.size;
}

/** Multiply-adds per example of one lowering of a gauss layer on an H×W×C input (depthwise ones × `depthwiseWeight`). */
export function gaussCost(input: Shape, attrs: Attrs, lowering: GaussLowering, depthwiseWeight = 1): number {
  const [inPixels, outPixels] = [input[0]! * input[1]!, outputPixels(input, attrs)];
  const [fIn, fOut, bases, nk] = [input[2]!, num(attrs, 'filters'), num(attrs, 'bases'), basisSize(num(attrs, 'order'))];
  const [kh, kw] = pair(attrs, 'size');
  switch (lowering) {
    case 'combined':
      return outPixels * kh * kw * fIn * fOut;
    case 'basis-first':
      return outPixels * (depthwiseWeight * kh * kw * fIn * bases * nk + fIn * nk * fOut);
    case 'separated':
      return inPixels * fIn * bases * nk + outPixels * (depthwiseWeight * kh * kw * bases * nk + nk * fOut);
  }
}

/**
 * The lowering the compiler emits: the cheapest by weighted cost of those the mix allows (ties: the
 * earlier one). A separated mix folds into full weights ω = β·λ, so every lowering computes it; on a
 * one-channel image one dense convolution beats the depthwise path several times over.
 */
export function gaussLowering(input: Shape, attrs: Attrs): { readonly lowering: GaussLowering; readonly macs: number } {
  const candidates: GaussLowering[] = str(attrs, 'mix') === 'separated' ? ['combined', 'basis-first', 'separated'] : ['combined', 'basis-first'];
  const weighted = candidates.map((lowering) => gaussCost(input, attrs, lowering, DEPTHWISE_WEIGHT));
  const lowering = candidates[weighted.indexOf(Math.min(...weighted))]!;
  return { lowering, macs: gaussCost(input, attrs, lowering) };
}
