/**
 * Fully trainable Gaussian-derivative convolution (Penaud-Polge et al., ICIP 2022); the contract is
 * docs/gauss-layer.md. Weights in gauss-weights.ts, lowering and cost in gauss-lowering.ts.
 */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { bool, num, pair, str } from './attr.js';
import { product } from './arith.js';
import { biasArg, filtersArg, kernelSizeArg, paddingArg, roundArg, strideArg } from './common-args.js';
import { requireFeatureMap } from './feature-map.js';
import { gaussLowering, gaussWindow } from './gauss-lowering.js';
import { gaussWeights } from './gauss-weights.js';
import { dims, groupDigits, pairSource } from './text.js';
import { py, torchPadding } from './torch-util.js';
import { runtimePadding, windowOutput, windowRF } from './window.js';

function checkOddSize(attrs: Attrs, ctx: ShapeContext): boolean {
  const size = pair(attrs, 'size');
  if (size.every((k) => k % 2 === 1)) return true;
  const smaller = size.map((k) => (k % 2 === 0 ? k - 1 : k)) as [number, number];
  const larger = size.map((k) => (k % 2 === 0 ? k + 1 : k)) as [number, number];
  ctx.error('GN0310', `gauss kernel size must be odd, got ${dims(size)}`, {
    notes: ['the Gaussian derivatives are sampled on a grid centred on the middle pixel'],
    help: `use size = ${pairSource(smaller)} or size = ${pairSource(larger)}`,
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
    size: kernelSizeArg(7, 'kernel size, odd: an int (square) or [height, width]'),
    order: { type: 'int', default: 2, min: 0, max: 4, doc: 'highest derivative order K; a basis holds (K+1)(K+2)/2 kernels' },
    bases: { type: 'int', default: 1, min: 1, doc: 'number of bases B, each with its own σ, μ, θ; must divide filters' },
    mix: { type: 'enum', default: 'full', values: ['full', 'separated'], doc: 'full: ω per (input, output, kernel); separated: β per input then λ per output (fewer weights)' },
    stride: strideArg,
    padding: paddingArg('same'),
    bias: biasArg(false),
    train_sigma: trainFlag('the scales σ'),
    train_mu: trainFlag('the shifts μ'),
    train_theta: trainFlag('the orientations θ'),
    isotropic: { type: 'bool', default: false, doc: 'one σ per kernel instead of (σ1, σ2)' },
    sigma_init: optionalFloat('fixed initial σ; omitted means uniform(0.5, 2). σ is kept ≥ 0.2', 0.2),
    mu_init: optionalFloat('fixed initial μ; omitted means uniform(−1, 1)'),
    theta_init: optionalFloat('fixed initial θ in radians; omitted means uniform(−π, π)'),
    round: roundArg,
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('gauss', inputs[0]!, ctx);
    if (map === null) return null;
    const attrsOk = [checkOddSize(attrs, ctx), checkBases(attrs, ctx)].every(Boolean);
    const hw = windowOutput([map[0], map[1]], gaussWindow(attrs), ctx);
    return attrsOk && hw !== null ? [...hw, num(attrs, 'filters')] : null;
  },
  params: (inputs, attrs) => gaussWeights(inputs[0]![2]!, attrs),
  macs: (inputs, attrs) => gaussLowering(inputs[0]!, attrs).macs,
  receptiveField: (inputs, attrs) => windowRF([inputs[0]![0]!, inputs[0]![1]!], gaussWindow(attrs)),
  emit(ctx) {
    const input = ctx.inputShapes[0]!;
    const names = gaussWeights(input[2]!, ctx.attrs).map((w) => w.name);
    const weights = `{ ${names.map((n) => `${n}: ${ctx.weight(n)}`).join(', ')} }`;
    const { input: x, padding } = runtimePadding(ctx.inputs[0]!, [input[0]!, input[1]!], gaussWindow(ctx.attrs));
    const options = {
      order: num(ctx.attrs, 'order'),
      bases: num(ctx.attrs, 'bases'),
      size: pair(ctx.attrs, 'size'),
      stride: pair(ctx.attrs, 'stride'),
      padding,
      mix: str(ctx.attrs, 'mix'),
      isotropic: bool(ctx.attrs, 'isotropic'),
      lowering: gaussLowering(input, ctx.attrs).lowering,
    };
    return `rt.gaussConv2d(${x}, ${weights}, ${JSON.stringify(options)})`;
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const a = ctx.attrs;
    const frozen = ['sigma', 'mu', 'theta'].filter((name) => !bool(a, `train_${name}`));
    const sigma = gaussWeights(input[2]!, a).find((w) => w.name === 'sigma')!;
    const args = [
      `${input[2]!}, ${num(a, 'filters')}, ${py(pair(a, 'size'))}`,
      `order=${num(a, 'order')}, bases=${num(a, 'bases')}, mix=${py(str(a, 'mix'))}`,
      `stride=${py(pair(a, 'stride'))}, padding=${torchPadding([input[0]!, input[1]!], gaussWindow(a))}`,
      `lowering=${py(gaussLowering(input, a).lowering)}, isotropic=${py(bool(a, 'isotropic'))}, bias=${py(bool(a, 'bias'))}, frozen=${py(frozen)}`,
      `min_sigma=${py(sigma.minValue!)}`,
    ];
    // `lambda` is a Python keyword: the layer holds it as `lambda_`.
    return { layer: `gt.Gauss(${args.join(', ')})`, names: { lambda: 'lambda_' } };
  },
  describe(inputs, attrs) {
    const [kh, kw] = pair(attrs, 'size');
    const [fIn, fOut] = [inputs[0]![2]!, num(attrs, 'filters')];
    const own = gaussWeights(fIn, attrs).reduce((sum, w) => sum + product(w.shape), 0);
    const replaced = kh * kw * fIn * fOut + (bool(attrs, 'bias') ? fOut : 0);
    const ratio = replaced >= own ? `${(replaced / own).toFixed(1)}× fewer` : `${(own / replaced).toFixed(1)}× more`;
    return `lowering ${gaussLowering(inputs[0]!, attrs).lowering}, ${ratio} params than the ${dims([kh, kw])} conv it replaces (${groupDigits(replaced)})`;
  },
};
