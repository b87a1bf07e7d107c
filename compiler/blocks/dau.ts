/**
 * Displaced aggregation units (Tabernik, Kristan and Leonardis, "Spatially-adaptive filter units for
 * deep neural networks", CVPR 2018; the DAU-ConvNet row of the gauss paper's Table 1). Every filter,
 * one per (input, output) channel pair, is a sum of `units` Gaussian blobs, each with its own weight w,
 * position μ = (μ_row, μ_col) and scale σ:
 *
 *     K[:, :, i, o] = Σ_k w[i, o, k] · G(x − μ[i, o, k]; σ[i, o, k]) / Σ_x G(x − μ[i, o, k]; σ[i, o, k])
 *
 * on the integer grid of the kernel window, centred on 0, each blob normalised to sum 1 over the window
 * as DAU-ConvNet's reference TensorFlow layer does; then an ordinary convolution with K. σ is one per
 * unit (as the gauss paper says its DAU row learned it: "for each unit"); DAU-ConvNet's own CUDA code
 * shares it, which `train_sigma = false` with one `sigma_init` comes close to.
 */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, ShapeContext, WeightSpec } from './block.js';
import { axes, bool, num } from './attr.js';
import { product } from './arith.js';
import { biasArg, filtersArg, kernelSizeArg, paddingArg, roundArg, strideArg } from './common-args.js';
import { addBias } from './emit-util.js';
import { channels, requireFeatureMap, spatialOf } from './feature-map.js';
import { dims, axesSource } from './text.js';
import { py, torchPadding } from './torch-util.js';
import { readWindow, tfPaddingLiteral, windowOutput, windowRF } from './window.js';

/** The blobs' initial positions, uniform within a quarter of the window either side of its centre. */
const muRange = (size: readonly number[]) => Math.min(...size.map((k) => (k - 1) / 4));

function checkImage(spatial: readonly number[], ctx: ShapeContext): boolean {
  if (spatial.length === 2) return true;
  ctx.error('GN0316', `dau works on images (H×W×C), got ${spatial.length === 3 ? 'a volume' : `${spatial.length} spatial axes`}`, {
    notes: ['displaced aggregation units are defined in the image plane'],
    help: 'use gauss (order = 0) for Gaussian blobs on a volume, or conv',
    inputs: [0],
  });
  return false;
}

function checkOddSize(attrs: Attrs, ctx: ShapeContext): boolean {
  const size = axes(attrs, 'size', 2);
  if (size.every((k) => k % 2 === 1)) return true;
  const smaller = size.map((k) => (k % 2 === 0 ? k - 1 : k));
  const larger = size.map((k) => (k % 2 === 0 ? k + 1 : k));
  ctx.error('GN0317', `dau kernel size must be odd, got ${dims(size)}`, {
    notes: ['the units are placed on a grid centred on the middle pixel'],
    help: `use size = ${axesSource(smaller)} or size = ${axesSource(larger)}`,
  });
  return false;
}

/** Weights: per input channel, output channel and unit a weight, a position (row, column) and a scale. */
export function dauWeights(inChannels: number, attrs: Attrs): WeightSpec[] {
  const units = [inChannels, num(attrs, 'filters'), num(attrs, 'units')];
  const r = muRange(axes(attrs, 'size', 2));
  return [
    // DAU-ConvNet's default weight initialiser, N(0, 0.1²).
    { name: 'weight', shape: units, trainable: true, init: { kind: 'normal', std: 0.1 } },
    // Geometry, not filter weights: no weight decay (as gauss σ, μ, θ).
    { name: 'mu', shape: [...units, 2], trainable: true, init: { kind: 'uniform', min: -r, max: r }, decays: false },
    { name: 'sigma', shape: units, trainable: bool(attrs, 'train_sigma'), init: { kind: 'constant', value: num(attrs, 'sigma_init') }, minValue: 0.2, decays: false },
    ...(bool(attrs, 'bias') ? [{ name: 'bias', shape: [num(attrs, 'filters')], trainable: true, init: { kind: 'zeros' } } as const] : []),
  ];
}

export const dau: BlockDef = {
  kind: 'dau',
  summary: 'displaced aggregation units (Tabernik et al. 2018): each filter a sum of Gaussian blobs with learned weights, positions and scales',
  category: new Set(['spatial', 'parametric']),
  args: {
    filters: filtersArg,
    size: kernelSizeArg(7, 'kernel window, odd: an int or [height, width]; the blobs are sampled on it'),
    units: { type: 'int', default: 10, min: 1, doc: 'Gaussian units per filter (one filter per input and output channel)' },
    sigma_init: { type: 'float', default: 0.5, min: 0.2, doc: 'initial σ of every unit (DAU-ConvNet: 0.5); σ is kept ≥ 0.2' },
    train_sigma: { type: 'bool', default: true, doc: 'learn σ per unit (false: fixed at sigma_init, counted as non-trainable)' },
    stride: strideArg,
    padding: paddingArg('same'),
    bias: biasArg(false),
    round: roundArg,
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('dau', inputs[0]!, ctx);
    if (map === null || !checkImage(map.spatial, ctx) || !checkOddSize(attrs, ctx)) return null;
    const spatial = windowOutput(map.spatial, readWindow(attrs, 2), ctx);
    return spatial === null ? null : [...spatial, num(attrs, 'filters')];
  },
  params: (inputs, attrs) => dauWeights(channels(inputs[0]!), attrs),
  // The convolution with the assembled kernel; assembling it costs once per batch, not per image.
  macs: (inputs, attrs, out) => product(out) * product(axes(attrs, 'size', 2)) * channels(inputs[0]!),
  receptiveField: (inputs, attrs) => windowRF(spatialOf(inputs[0]!), readWindow(attrs, 2)),
  emit(ctx) {
    const window = readWindow(ctx.attrs, 2);
    const kernel = `rt.dauKernel({ weight: ${ctx.weight('weight')}, mu: ${ctx.weight('mu')}, sigma: ${ctx.weight('sigma')} }, ${JSON.stringify(window.kernel)})`;
    const pad = tfPaddingLiteral(spatialOf(ctx.inputShapes[0]!), window);
    return addBias(`tf.conv2d(${ctx.inputs[0]}, ${kernel}, ${JSON.stringify(window.stride)}, ${pad}, "NHWC")`, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const window = readWindow(ctx.attrs, 2);
    const a = ctx.attrs;
    return {
      layer: `gt.Dau(${channels(input)}, ${num(a, 'filters')}, ${py(window.kernel)}, units=${num(a, 'units')}, stride=${py(window.stride)}, padding=${torchPadding(spatialOf(input), window)}, bias=${py(bool(a, 'bias'))}, train_sigma=${py(bool(a, 'train_sigma'))})`,
    };
  },
  describe(inputs, attrs) {
    const kernel = axes(attrs, 'size', 2);
    const [fIn, fOut] = [channels(inputs[0]!), num(attrs, 'filters')];
    return `${num(attrs, 'units')} units of 4 numbers per filter, against ${product(kernel)} taps of a ${dims(kernel)} conv (${fIn * fOut * product(kernel)})`;
  },
};
