/** 2-D convolution, optionally grouped, dilated and strided. */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, ShapeContext } from './block.js';
import { bool, num } from './attr.js';
import { filtersArg } from './common-args.js';
import { convCall, convMacs, convOutput, convReceptiveField, convTailArgs, convWindow, convWindowArgs, torchWindowArgs } from './conv-base.js';
import { py, TORCH_CONV_NAMES } from './torch-util.js';
import { addBias } from './emit-util.js';
import { channels, requireFeatureMap, spatialOf } from './feature-map.js';
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
  summary: 'convolution (kernel [kh, kw, in/groups, filters], or [kd, kh, kw, …] on a volume) with optional groups, dilation and stride',
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
    const groupsOk = checkGroups(map.channels, attrs, ctx);
    const spatial = convOutput(map, attrs, ctx);
    return groupsOk && spatial !== null ? [...spatial, num(attrs, 'filters')] : null;
  },
  params(inputs, attrs) {
    const kernel = convWindow(attrs, spatialOf(inputs[0]!).length).kernel;
    const filters = num(attrs, 'filters');
    return kernelAndBias([...kernel, channels(inputs[0]!) / num(attrs, 'groups'), filters], filters, bool(attrs, 'bias'));
  },
  macs(inputs, attrs, out) {
    return convMacs(out, attrs, channels(inputs[0]!) / num(attrs, 'groups'));
  },
  receptiveField: convReceptiveField,
  emit(ctx) {
    const call = convCall(ctx, ctx.weight('kernel'), num(ctx.attrs, 'groups'));
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const [inChannels, filters, groups] = [channels(input), num(ctx.attrs, 'filters'), num(ctx.attrs, 'groups')];
    const rank = spatialOf(input).length;
    const size = py(convWindow(ctx.attrs, rank).kernel);
    return {
      layer: `gt.Conv${rank}d(${inChannels}, ${filters}, ${size}, ${torchWindowArgs(ctx)}, groups=${groups}, bias=${py(bool(ctx.attrs, 'bias'))})`,
      layouts: { kernel: 'hwio' },
      names: TORCH_CONV_NAMES,
    };
  },
};
