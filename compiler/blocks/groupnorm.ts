/**
 * Group normalisation (Wu & He 2018): the channels are split into groups, and each example's values
 * of one group (every position, every channel of the group) are normalised by their own mean and
 * variance; then a per-channel scale γ and shift β. Independent of the batch, so it suits the small
 * batches of volumes. instancenorm is the same with one channel per group.
 */
import type { Attrs, Shape } from '../ir/ir.js';
import type { ArgSpec, BlockDef, ShapeContext } from './block.js';
import { bool, num } from './attr.js';
import { product } from './arith.js';
import { lit } from './emit-util.js';
import { channels, requireFeatureMap } from './feature-map.js';
import { py } from './torch-util.js';

export const normTailArgs: Readonly<Record<string, ArgSpec>> = {
  // PyTorch's default: these layers come from the PyTorch world of 3-D segmentation.
  epsilon: { type: 'float', default: 0.00001, min: 0, doc: 'added to the variance before the square root' },
  scale: { type: 'bool', default: true, doc: 'true: a trained scale γ per channel; false: γ fixed at 1 (not a weight)' },
};

/** The block of a group normalisation whose group count comes from its input and attributes. */
export function groupNormBlock(kind: string, summary: string, args: Readonly<Record<string, ArgSpec>>, positional: readonly string[], groupsOf: (input: Shape, attrs: Attrs) => number): BlockDef {
  return {
    kind,
    summary,
    category: new Set(['elementwise', 'parametric']),
    args: { ...args, ...normTailArgs },
    positional,
    inputs: { min: 1, max: 1 },
    shape(inputs, attrs, ctx) {
      const map = requireFeatureMap(kind, inputs[0]!, ctx);
      return map !== null && checkGroups(kind, map.channels, groupsOf(inputs[0]!, attrs), ctx) ? inputs[0]! : null;
    },
    params(inputs, attrs) {
      const shape = [channels(inputs[0]!)];
      return [
        ...(bool(attrs, 'scale') ? [{ name: 'gamma', shape, trainable: true, init: { kind: 'ones' } } as const] : []),
        { name: 'beta', shape, trainable: true, init: { kind: 'zeros' } },
      ];
    },
    // One scale-and-shift per element, as batchnorm counts it.
    macs: (_inputs, _attrs, out) => product(out),
    receptiveField: () => ({ kind: 'identity' }),
    emit(ctx) {
      const gamma = bool(ctx.attrs, 'scale') ? `gamma: ${ctx.weight('gamma')}, ` : '';
      const groups = groupsOf(ctx.inputShapes[0]!, ctx.attrs);
      return `rt.groupNorm(${ctx.inputs[0]}, { ${gamma}beta: ${ctx.weight('beta')} }, ${lit(groups)}, ${lit(num(ctx.attrs, 'epsilon'))})`;
    },
    emitTorch: (ctx) => ({
      layer: `gt.GroupNorm(${groupsOf(ctx.inputShapes[0]!, ctx.attrs)}, ${channels(ctx.inputShapes[0]!)}, epsilon=${py(num(ctx.attrs, 'epsilon'))}, scale=${py(bool(ctx.attrs, 'scale'))})`,
    }),
  };
}

function checkGroups(kind: string, inChannels: number, groups: number, ctx: ShapeContext): boolean {
  if (inChannels % groups === 0) return true;
  const divisors = Array.from({ length: inChannels }, (_, i) => i + 1).filter((d) => inChannels % d === 0);
  const near = [divisors.filter((d) => d < groups).at(-1), divisors.find((d) => d > groups)].filter((d) => d !== undefined);
  ctx.error('GN0111', `${kind} groups ${groups} does not divide the ${inChannels} channels of its input`, {
    notes: ['each group normalises an equal share of the channels'],
    help: `use groups = ${near.join(' or ')}`,
    inputs: [0],
  });
  return false;
}

export const groupnorm = groupNormBlock(
  'groupnorm',
  'group normalisation: per example, normalise each group of channels over its positions and channels, then γ, β per channel (no batch statistics)',
  { groups: { type: 'int', min: 1, doc: 'how many groups the channels are split into (must divide them); 1 is layer normalisation over the map' } },
  ['groups'],
  (_input, attrs) => num(attrs, 'groups'),
);
