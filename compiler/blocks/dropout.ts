/** Inverted dropout: active while training, identity at inference. */
import type { BlockDef } from './block.js';
import { num } from './attr.js';
import { lit } from './emit-util.js';
import { py } from './torch-util.js';

export const dropout: BlockDef = {
  kind: 'dropout',
  summary: 'while training, zero each value with probability rate and scale the rest by 1 / (1 − rate); identity at inference',
  category: new Set(['elementwise', 'trainingOnly']),
  args: { rate: { type: 'float', default: 0.5, min: 0, below: 1, doc: 'probability of dropping a value' } },
  positional: ['rate'],
  inputs: { min: 1, max: 1 },
  shape: (inputs) => inputs[0]!,
  params: () => [],
  macs: () => 0,
  receptiveField: () => ({ kind: 'identity' }),
  emit: (ctx) => `rt.dropout(${ctx.inputs[0]}, ${lit(num(ctx.attrs, 'rate'))}, ${ctx.training}, ${ctx.state}, ${ctx.key})`,
  emitTorch: (ctx) => ({ layer: `gt.Dropout(${py(num(ctx.attrs, 'rate'))}, ${ctx.key})`, usesState: true }),
};
