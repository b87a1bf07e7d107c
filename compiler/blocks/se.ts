/** Squeeze-and-excitation (Hu et al. 2018): channel gates from a global summary. */
import type { Attrs, Shape } from '../ir/ir.js';
import type { BlockDef } from './block.js';
import { num } from './attr.js';
import { channels, requireFeatureMap } from './feature-map.js';
import { biasWeight, kernelWeight } from './weights.js';

/** Bottleneck width C / ratio, rounded down and at least one channel. */
export function squeezeWidth(input: Shape, attrs: Attrs): number {
  return Math.max(1, Math.floor(channels(input) / num(attrs, 'ratio')));
}

export const se: BlockDef = {
  kind: 'se',
  summary: 'squeeze-and-excitation: global avg pool → dense C/ratio (relu) → dense C (sigmoid) → scale the channels',
  category: new Set(['parametric']),
  args: { ratio: { type: 'int', default: 16, min: 1, doc: 'bottleneck reduction; the squeeze width is max(1, floor(C / ratio))' } },
  positional: ['ratio'],
  inputs: { min: 1, max: 1 },
  shape: (inputs, _attrs, ctx) => (requireFeatureMap('se', inputs[0]!, ctx) === null ? null : inputs[0]!),
  params(inputs, attrs) {
    const [c, s] = [channels(inputs[0]!), squeezeWidth(inputs[0]!, attrs)];
    return [kernelWeight([c, s], 'w1'), biasWeight(s, 'b1'), kernelWeight([s, c], 'w2'), biasWeight(c, 'b2')];
  },
  // The two dense layers; pooling and the final gating multiply have no weight operand.
  macs: (inputs, attrs) => 2 * channels(inputs[0]!) * squeezeWidth(inputs[0]!, attrs),
  // The gates depend on the whole map.
  receptiveField: () => ({ kind: 'global' }),
  emit(ctx) {
    const w = (name: string) => `${name}: ${ctx.weight(name)}`;
    return `rt.squeezeExcite(${ctx.inputs[0]}, { ${['w1', 'b1', 'w2', 'b2'].map(w).join(', ')} })`;
  },
  emitTorch: (ctx) => ({
    layer: `gt.SqueezeExcite(${channels(ctx.inputShapes[0]!)}, ${squeezeWidth(ctx.inputShapes[0]!, ctx.attrs)})`,
    layouts: { w1: 'io', w2: 'io' },
  }),
  describe: (inputs, attrs) => `squeeze ${channels(inputs[0]!)} → ${squeezeWidth(inputs[0]!, attrs)} → ${channels(inputs[0]!)} channels`,
};
