/** Depthwise convolution: each input channel convolved with its own `multiplier` kernels. */
import type { BlockDef } from './block.js';
import { bool, num } from './attr.js';
import { convCall, convMacs, convOutput, convReceptiveField, convTailArgs, convWindow, convWindowArgs, depthwiseCallArgs, tfjsRunsDirectly, torchWindowArgs } from './conv-base.js';
import { py, TORCH_CONV_NAMES } from './torch-util.js';
import { addBias, lit } from './emit-util.js';
import { channels, requireFeatureMap, spatialOf } from './feature-map.js';
import { kernelAndBias } from './weights.js';

export const depthwise: BlockDef = {
  kind: 'depthwise',
  summary: 'depthwise convolution: each input channel gets its own kernels (kernel [kh, kw, in, multiplier], or [kd, kh, kw, …] on a volume)',
  category: new Set(['spatial', 'parametric']),
  args: {
    ...convWindowArgs,
    multiplier: { type: 'int', default: 1, min: 1, doc: 'output channels per input channel' },
    ...convTailArgs,
  },
  positional: ['size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('depthwise', inputs[0]!, ctx);
    const spatial = map === null ? null : convOutput(map, attrs, ctx);
    return map !== null && spatial !== null ? [...spatial, map.channels * num(attrs, 'multiplier')] : null;
  },
  params(inputs, attrs, out) {
    const kernel = convWindow(attrs, spatialOf(inputs[0]!).length).kernel;
    return kernelAndBias([...kernel, channels(inputs[0]!), num(attrs, 'multiplier')], channels(out), bool(attrs, 'bias'));
  },
  macs(_inputs, attrs, out) {
    return convMacs(out, attrs, 1);
  },
  receptiveField: convReceptiveField,
  emit(ctx) {
    const [x, kernel, input] = [ctx.inputs[0]!, ctx.weight('kernel'), ctx.inputShapes[0]!];
    const size = convWindow(ctx.attrs, spatialOf(input).length).kernel;
    const call = tfjsRunsDirectly(input, ctx.attrs)
      ? `tf.depthwiseConv2d(${x}, ${kernel}, ${depthwiseCallArgs(ctx)})`
      : // As a grouped conv with one input channel per group: [kh, kw, in, m] → [kh, kw, 1, in·m] keeps the output order.
        convCall(ctx, `tf.reshape(${kernel}, ${lit([...size, 1, channels(ctx.outShape)])})`, channels(input));
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const rank = spatialOf(input).length;
    const [multiplier, size] = [num(ctx.attrs, 'multiplier'), py(convWindow(ctx.attrs, rank).kernel)];
    return {
      layer: `gt.${rank === 3 ? 'Depthwise3d' : 'Depthwise'}(${channels(input)}, ${multiplier}, ${size}, ${torchWindowArgs(ctx)}, bias=${py(bool(ctx.attrs, 'bias'))})`,
      layouts: { kernel: 'hwcm' },
      names: TORCH_CONV_NAMES,
    };
  },
};
