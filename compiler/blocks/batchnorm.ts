/** Batch normalisation over the channel (last) axis, Keras defaults. */
import type { Attrs } from '../ir/ir.js';
import type { ArgSpec, BlockDef, ShapeContext, WeightSpec } from './block.js';
import { bool, num, str } from './attr.js';
import { product } from './arith.js';
import { lit } from './emit-util.js';
import { channels } from './feature-map.js';
import { py } from './torch-util.js';

const fixed = (attrs: Attrs) => str(attrs, 'statistics') === 'fixed';

const args: Record<string, ArgSpec> = {
  // 0.9 (PyTorch's 0.1 update) rather than Keras' 0.99: with 0.99 the moving statistics of a run of a
  // few hundred steps still hold a third of their initial values and inference collapses.
  momentum: { type: 'float', default: 0.9, min: 0, max: 1, doc: 'moving statistics keep this share of their old value at each step (early in a run at most step / (step + 1): the first batch replaces the initial 0 and 1)' },
  epsilon: { type: 'float', default: 0.001, min: 0, doc: 'added to the variance before the square root' },
  // Keras' name. false: γ is 1 and not a weight at all, so it is neither trained nor counted.
  scale: { type: 'bool', default: true, doc: 'true: a trained scale γ per channel; false: γ fixed at 1 (not a weight)' },
  statistics: {
    type: 'enum',
    default: 'moving',
    values: ['moving', 'fixed'],
    doc: 'moving: normalise with the batch statistics while training and update the moving ones for inference; fixed: μ = 0 and √(σ² + ε) = 1 always (the paper\'s Table 1), so the block is γ·x + β and holds no statistics',
  },
};

/** With fixed statistics nothing is normalised: `momentum` and `epsilon` would silently do nothing. */
function checkFixed(attrs: Attrs, ctx: ShapeContext): boolean {
  const ignored = ['momentum', 'epsilon'].filter((name) => num(attrs, name) !== args[name]!.default);
  if (!fixed(attrs) || ignored.length === 0) return true;
  ctx.error('GN0315', `batchnorm with statistics = fixed ignores ${ignored.join(' and ')}`, {
    notes: ['fixed statistics mean μ = 0 and √(σ² + ε) = 1: the block computes γ·x + β (x + β without scale) and keeps no moving statistics'],
    help: `remove ${ignored.map((n) => `\`${n} = …\``).join(' and ')}, or use statistics = moving`,
  });
  return false;
}

export const batchnorm: BlockDef = {
  kind: 'batchnorm',
  summary: 'batch normalisation per channel: γ (unless scale = false), β trained; moving mean and variance updated while training (statistics = fixed: μ = 0, σ = 1, only γ·x + β)',
  category: new Set(['elementwise', 'parametric']),
  args,
  positional: [],
  inputs: { min: 1, max: 1 },
  shape: (inputs, attrs, ctx) => (checkFixed(attrs, ctx) ? inputs[0]! : null),
  params(inputs, attrs) {
    const shape = [channels(inputs[0]!)];
    const weights: WeightSpec[] = [
      ...(bool(attrs, 'scale') ? [{ name: 'gamma', shape, trainable: true, init: { kind: 'ones' } } as const] : []),
      { name: 'beta', shape, trainable: true, init: { kind: 'zeros' } },
    ];
    if (fixed(attrs)) return weights;
    return [
      ...weights,
      { name: 'moving_mean', shape, trainable: false, init: { kind: 'zeros' } },
      { name: 'moving_variance', shape, trainable: false, init: { kind: 'ones' } },
    ];
  },
  // Not folded into the previous conv by the generated code: one scale-and-shift per element.
  macs: (_inputs, _attrs, out) => product(out),
  receptiveField: () => ({ kind: 'identity' }),
  emit(ctx) {
    const w = (name: string) => ctx.weight(name);
    const gamma = bool(ctx.attrs, 'scale') ? `gamma: ${w('gamma')}, ` : '';
    if (fixed(ctx.attrs)) return `rt.fixedBatchNorm(${ctx.inputs[0]}, { ${gamma}beta: ${w('beta')} })`;
    const weights = `{ ${gamma}beta: ${w('beta')}, movingMean: ${w('moving_mean')}, movingVariance: ${w('moving_variance')} }`;
    // The step warms the moving statistics up (see the runtime's batchNorm).
    return `rt.batchNorm(${ctx.inputs[0]}, ${weights}, ${ctx.training}, ${lit(num(ctx.attrs, 'momentum'))}, ${lit(num(ctx.attrs, 'epsilon'))}, ${ctx.state}.step)`;
  },
  emitTorch: (ctx) => ({
    layer:
      `gt.BatchNorm${({ 3: '2d', 4: '3d' } as Record<number, string>)[ctx.inputShapes[0]!.length] ?? '1d'}(${channels(ctx.inputShapes[0]!)}, momentum=${py(num(ctx.attrs, 'momentum'))}, ` +
      `epsilon=${py(num(ctx.attrs, 'epsilon'))}, scale=${py(bool(ctx.attrs, 'scale'))}${fixed(ctx.attrs) ? ', fixed_statistics=True' : ''})`,
    // torch's BatchNorm names: the module is a torch.nn.BatchNorm2d (or 1d, 3d) that fusion and SyncBatchNorm recognise.
    names: { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' },
    usesState: true,
  }),
};
