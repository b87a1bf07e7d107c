/**
 * Fully trainable Gaussian-derivative convolution (Penaud-Polge et al., ICIP 2022); the contract is
 * docs/gauss-layer.md. Weights in gauss-weights.ts, lowering and cost in gauss-lowering.ts.
 */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { axes, bool, num, str } from './attr.js';
import { product } from './arith.js';
import { biasArg, filtersArg, kernelSizeArg, paddingArg, roundArg, strideArg } from './common-args.js';
import { channels, requireFeatureMap, spatialOf } from './feature-map.js';
import { gaussLowering, gaussWindow } from './gauss-lowering.js';
import { gaussWeights } from './gauss-weights.js';
import { dims, groupDigits, axesSource } from './text.js';
import { py, torchPadding } from './torch-util.js';
import { appliedPadding, runtimePadding, windowOutput, windowRF } from './window.js';

function checkOddSize(attrs: Attrs, rank: number, ctx: ShapeContext): boolean {
  const size = axes(attrs, 'size', rank);
  if (size.every((k) => k % 2 === 1)) return true;
  const smaller = size.map((k) => (k % 2 === 0 ? k - 1 : k));
  const larger = size.map((k) => (k % 2 === 0 ? k + 1 : k));
  ctx.error('GN0310', `gauss kernel size must be odd, got ${dims(size)}`, {
    notes: ['the Gaussian derivatives are sampled on a grid centred on the middle pixel'],
    help: `use size = ${axesSource(smaller)} or size = ${axesSource(larger)}`,
  });
  return false;
}

/** Divisors of n nearest to d, below and above. */
function nearestDivisors(n: number, d: number): number[] {
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);
  const below = divisors.filter((k) => k < d).at(-1);
  const above = divisors.find((k) => k > d);
  return [below, above].filter((k): k is number => k !== undefined);
}

function checkBases(attrs: Attrs, ctx: ShapeContext): boolean {
  const [filters, bases] = [num(attrs, 'filters'), num(attrs, 'bases')];
  if (filters % bases === 0) return true;
  const filterOptions = [Math.floor(filters / bases) * bases, Math.ceil(filters / bases) * bases].filter((f) => f > 0);
  ctx.error('GN0311', `gauss filters ${filters} is not divisible by bases ${bases}`, {
    notes: ['each basis serves filters / bases output channels'],
    help: `use filters = ${filterOptions.join(' or ')}, or bases = ${nearestDivisors(filters, bases).join(' or ')}`,
  });
  return false;
}

const optionalFloat = (doc: string, min?: number) => ({ type: 'float' as const, default: null, doc, ...(min === undefined ? {} : { min }) });
const trainFlag = (what: string) => ({ type: 'bool' as const, default: true, doc: `learn ${what} (false: fixed at its initial value, counted as non-trainable)` });

export const gauss: BlockDef = {
  kind: 'gauss',
  summary: 'Gaussian-derivative convolution: kernels are learned combinations of oriented, shifted Gaussian derivatives',
  category: new Set(['spatial', 'parametric']),
  args: {
    filters: filtersArg,
    size: kernelSizeArg(7, 'kernel size, odd: an int (every axis) or a list per axis'),
    order: { type: 'int', default: 2, min: 0, max: 4, doc: 'highest derivative order K; a basis holds (K+1)(K+2)/2 kernels' },
    bases: { type: 'int', default: 1, min: 1, doc: 'number of bases B, each with its own σ, μ, θ; must divide filters' },
    mix: { type: 'enum', default: 'full', values: ['full', 'separated'], doc: 'full: ω per (input, output, kernel); separated: β per input then λ per output (fewer weights)' },
    mix_init: {
      type: 'enum',
      default: 'normal',
      values: ['normal', 'uniform'],
      doc: 'initial ω, β, λ: normal = N(0, (√2 / fan sum)²), the reference code of 2023-03-06; uniform = U(−1, 1), its 2022 code (the ICIP 2022 paper\'s)',
    },
    stride: strideArg,
    padding: paddingArg('same'),
    bias: biasArg(false),
    train_sigma: trainFlag('the scales σ'),
    train_mu: trainFlag('the shifts μ'),
    train_theta: trainFlag('the orientations θ (three Euler angles per kernel on a volume)'),
    isotropic: { type: 'bool', default: false, doc: 'one σ per kernel instead of one per axis' },
    sigma_init: optionalFloat('fixed initial σ; omitted means uniform(0.5, 2). σ is kept ≥ 0.2', 0.2),
    mu_init: optionalFloat('fixed initial μ; omitted means uniform(−1, 1)'),
    theta_init: optionalFloat('fixed initial θ (every angle) in radians; omitted means uniform(−π, π)'),
    round: roundArg,
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('gauss', inputs[0]!, ctx);
    if (map === null) return null;
    const rank = map.spatial.length;
    const attrsOk = [checkOddSize(attrs, rank, ctx), checkBases(attrs, ctx)].every(Boolean);
    const spatial = windowOutput(map.spatial, gaussWindow(attrs, rank), ctx);
    return attrsOk && spatial !== null ? [...spatial, num(attrs, 'filters')] : null;
  },
  params: (inputs, attrs) => gaussWeights(channels(inputs[0]!), attrs, spatialOf(inputs[0]!).length),
  macs: (inputs, attrs) => gaussLowering(inputs[0]!, attrs).macs,
  receptiveField(inputs, attrs) {
    const spatial = spatialOf(inputs[0]!);
    return windowRF(spatial, gaussWindow(attrs, spatial.length));
  },
  emit(ctx) {
    const input = ctx.inputShapes[0]!;
    const spatial = spatialOf(input);
    const rank = spatial.length;
    const names = gaussWeights(channels(input), ctx.attrs, rank).map((w) => w.name);
    const weights = `{ ${names.map((n) => `${n}: ${ctx.weight(n)}`).join(', ')} }`;
    const window = gaussWindow(ctx.attrs, rank);
    const { input: x, padding } =
      rank === 3 ? { input: ctx.inputs[0]!, padding: appliedPadding(spatial, window) } : runtimePadding(ctx.inputs[0]!, spatial, window);
    const options = {
      order: num(ctx.attrs, 'order'),
      bases: num(ctx.attrs, 'bases'),
      size: window.kernel,
      stride: window.stride,
      padding,
      mix: str(ctx.attrs, 'mix'),
      isotropic: bool(ctx.attrs, 'isotropic'),
      lowering: gaussLowering(input, ctx.attrs).lowering,
    };
    return `rt.gaussConv${rank}d(${x}, ${weights}, ${JSON.stringify(options)})`;
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const spatial = spatialOf(input);
    const a = ctx.attrs;
    const window = gaussWindow(a, spatial.length);
    const frozen = ['sigma', 'mu', 'theta'].filter((name) => !bool(a, `train_${name}`));
    const sigma = gaussWeights(channels(input), a, spatial.length).find((w) => w.name === 'sigma')!;
    const args = [
      `${channels(input)}, ${num(a, 'filters')}, ${py(window.kernel)}`,
      `order=${num(a, 'order')}, bases=${num(a, 'bases')}, mix=${py(str(a, 'mix'))}`,
      `stride=${py(window.stride)}, padding=${torchPadding(spatial, window)}`,
      `lowering=${py(gaussLowering(input, a).lowering)}, isotropic=${py(bool(a, 'isotropic'))}, bias=${py(bool(a, 'bias'))}, frozen=${py(frozen)}`,
      `min_sigma=${py(sigma.minValue!)}`,
    ];
    // `lambda` is a Python keyword: the layer holds it as `lambda_`.
    return { layer: `gt.${spatial.length === 3 ? 'Gauss3d' : 'Gauss'}(${args.join(', ')})`, names: { lambda: 'lambda_' } };
  },
  describe(inputs, attrs) {
    const rank = spatialOf(inputs[0]!).length;
    const kernel = axes(attrs, 'size', rank);
    const [fIn, fOut] = [channels(inputs[0]!), num(attrs, 'filters')];
    const own = gaussWeights(fIn, attrs, rank).reduce((sum, w) => sum + product(w.shape), 0);
    const replaced = product(kernel) * fIn * fOut + (bool(attrs, 'bias') ? fOut : 0);
    const ratio = replaced >= own ? `${(replaced / own).toFixed(1)}× fewer` : `${(own / replaced).toFixed(1)}× more`;
    return `lowering ${gaussLowering(inputs[0]!, attrs).lowering}, ${ratio} params than the ${dims(kernel)} conv it replaces (${groupDigits(replaced)})`;
  },
};
