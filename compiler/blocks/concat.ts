/** Concatenation along the channel (last) axis. */
import type { Shape } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { channels } from './feature-map.js';
import { shapeText } from './text.js';

const sameLeadingAxes = (a: Shape, b: Shape): boolean => a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);

function checkLeadingAxes(inputs: readonly Shape[], ctx: ShapeContext): boolean {
  let ok = true;
  inputs.forEach((shape, i) => {
    if (i === 0 || sameLeadingAxes(inputs[0]!, shape)) return;
    ok = false;
    const [first, other] = [ctx.inputNames[0], ctx.inputNames[i]];
    ctx.error('GN0302', `concat joins channels, so all other axes must match: ${first} gives ${shapeText(inputs[0]!)} but ${other} gives ${shapeText(shape)}`, {
      help: 'crop the larger input (crop(like = …)) or resample one side (upsample, maxpool)',
      inputs: [0, i],
    });
  });
  return ok;
}

export const concat: BlockDef = {
  kind: 'concat',
  summary: 'join two or more tensors along the channel (last) axis; all other axes must match',
  category: new Set(['merge']),
  args: {},
  positional: [],
  inputs: { min: 2, max: Infinity },
  shape(inputs, _attrs, ctx) {
    if (!checkLeadingAxes(inputs, ctx)) return null;
    return [...inputs[0]!.slice(0, -1), inputs.reduce((sum, s) => sum + channels(s), 0)];
  },
  params: () => [],
  macs: () => 0,
  receptiveField: () => ({ kind: 'merge' }),
  emit: (ctx) => `tf.concat([${ctx.inputs.join(', ')}], -1)`,
  emitTorch: () => ({ layer: 'gt.Concat()', listInput: true }),
};
