/** 2-D convolution, optionally grouped, dilated and strided. */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { bool, num, pair } from './attr.js';
import { filtersArg } from './common-args.js';
import { convCall, convMacs, convOutput, convReceptiveField, convTailArgs, convWindowArgs, torchWindowArgs } from './conv-base.js';
import { py, TORCH_CONV_NAMES } from './torch-util.js';
import { addBias } from './emit-util.js';
import { requireFeatureMap } from './feature-map.js';
import { kernelAndBias } from './weights.js';

function checkGroups(inChannels: number, attrs: Attrs, ctx: ShapeContext): boolean {
  const groups = num(attrs, 'groups');
  const filters = num(attrs, 'filters');
  const problems = [
    inChannels % groups !== 0 ? `the ${inChannels} input channels` : null,
    filters % groups !== 0 ? `the ${filters} filters` : null,
  ].filter((p) => p !== null);
  if (problems.length === 0) return true;
  ctx.error('GN0306', `groups ${groups} does not divide ${problems.join(' nor ')}`, {
    help: 'groups must divide both the input channels and the filters (groups = input channels = filters is a depthwise convolution)',
  });
  return false;
}

export const conv: BlockDef = {
  kind: 'conv',
  summary: '2-D convolution (kernel [kh, kw, in/groups, filters]) with optional groups, dilation and stride',
  category: new Set(['spatial', 'parametric']),
  args: {
    filters: filtersArg,
    ...convWindowArgs,
    groups: { type: 'int', default: 1, min: 1, doc: 'split channels into this many independent groups (must divide input channels and filters)' },
    ...convTailArgs,
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('conv', inputs[0]!, ctx);
    if (map === null) return null;
    const groupsOk = checkGroups(map[2], attrs, ctx);
    const hw = convOutput(map, attrs, ctx);
    return groupsOk && hw !== null ? [...hw, num(attrs, 'filters')] : null;
  },
  params(inputs, attrs) {
    const [kh, kw] = pair(attrs, 'size');
    const filters = num(attrs, 'filters');
    return kernelAndBias([kh, kw, inputs[0]![2]! / num(attrs, 'groups'), filters], filters, bool(attrs, 'bias'));
  },
  macs(inputs, attrs, out) {
    return convMacs(out, attrs, inputs[0]![2]! / num(attrs, 'groups'));
  },
  receptiveField: convReceptiveField,
  emit(ctx) {
    const call = convCall(ctx, ctx.weight('kernel'), num(ctx.attrs, 'groups'));
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const [inChannels, filters, groups] = [ctx.inputShapes[0]![2]!, num(ctx.attrs, 'filters'), num(ctx.attrs, 'groups')];
    const size = py(pair(ctx.attrs, 'size'));
    return {
      layer: `gt.Conv2d(${inChannels}, ${filters}, ${size}, ${torchWindowArgs(ctx)}, groups=${groups}, bias=${py(bool(ctx.attrs, 'bias'))})`,
      layouts: { kernel: 'hwio' },
      names: TORCH_CONV_NAMES,
    };
  },
};
