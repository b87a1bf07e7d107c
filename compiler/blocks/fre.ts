/** Feature random enhancement (Ando & Hotta 2021): training-only channel boost. */
import type { BlockDef } from './block.js';
import { num } from './attr.js';
import { lit } from './emit-util.js';
import { channels } from './feature-map.js';
import { py } from './torch-util.js';

export const fre: BlockDef = {
  kind: 'fre',
  summary: 'while training, multiply count random channels by factor (redrawn once per epoch); identity at inference',
  category: new Set(['elementwise', 'trainingOnly']),
  args: {
    count: { type: 'int', min: 1, doc: 'how many channels to enhance (at most the input channels)' },
    factor: { type: 'float', default: 2.0, doc: 'multiplier for the chosen channels' },
  },
  positional: ['count'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const [count, available] = [num(attrs, 'count'), channels(inputs[0]!)];
    if (count <= available) return inputs[0]!;
    ctx.error('GN0312', `fre count ${count} is larger than the ${available} channels of its input`, { help: `use count ≤ ${available}` });
    return null;
  },
  params: () => [],
  macs: () => 0,
  receptiveField: () => ({ kind: 'identity' }),
  emit(ctx) {
    const [count, factor] = [lit(num(ctx.attrs, 'count')), lit(num(ctx.attrs, 'factor'))];
    return `rt.featureRandomEnhance(${ctx.inputs[0]}, ${count}, ${factor}, ${ctx.training}, ${ctx.state}, ${ctx.key})`;
  },
  emitTorch: (ctx) => ({ layer: `gt.FeatureRandomEnhance(${py(num(ctx.attrs, 'count'))}, ${py(num(ctx.attrs, 'factor'))}, ${ctx.key})`, usesState: true }),
};
