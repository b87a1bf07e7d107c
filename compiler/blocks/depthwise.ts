/** Depthwise convolution: each input channel convolved with its own `multiplier` kernels. */
import type { BlockDef } from './block.js';
import { bool, num, pair } from './attr.js';
import { convCall, convMacs, convOutput, convReceptiveField, convTailArgs, convWindowArgs, depthwiseCallArgs, tfjsRunsDirectly, torchWindowArgs } from './conv-base.js';
import { py, TORCH_CONV_NAMES } from './torch-util.js';
import { addBias, lit } from './emit-util.js';
import { requireFeatureMap } from './feature-map.js';
import { kernelAndBias } from './weights.js';

export const depthwise: BlockDef = {
  kind: 'depthwise',
  summary: 'depthwise convolution: each input channel gets its own kernels (kernel [kh, kw, in, multiplier])',
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
    const hw = map === null ? null : convOutput(map, attrs, ctx);
    return map !== null && hw !== null ? [...hw, map[2] * num(attrs, 'multiplier')] : null;
  },
  params(inputs, attrs, out) {
    const [kh, kw] = pair(attrs, 'size');
    return kernelAndBias([kh, kw, inputs[0]![2]!, num(attrs, 'multiplier')], out[2]!, bool(attrs, 'bias'));
  },
  macs(_inputs, attrs, out) {
    return convMacs(out, attrs, 1);
  },
  receptiveField: convReceptiveField,
  emit(ctx) {
    const [x, kernel] = [ctx.inputs[0]!, ctx.weight('kernel')];
    const [kh, kw] = pair(ctx.attrs, 'size');
    const channels = ctx.inputShapes[0]![2]!;
    const call = tfjsRunsDirectly(ctx.attrs)
      ? `tf.depthwiseConv2d(${x}, ${kernel}, ${depthwiseCallArgs(ctx)})`
      : // As a grouped conv with one input channel per group: [kh, kw, in, m] → [kh, kw, 1, in·m] keeps the output order.
        convCall(ctx, `tf.reshape(${kernel}, ${lit([kh, kw, 1, ctx.outShape[2]!])})`, channels);
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const [channels, multiplier, size] = [ctx.inputShapes[0]![2]!, num(ctx.attrs, 'multiplier'), py(pair(ctx.attrs, 'size'))];
    return {
      layer: `gt.Depthwise(${channels}, ${multiplier}, ${size}, ${torchWindowArgs(ctx)}, bias=${py(bool(ctx.attrs, 'bias'))})`,
      layouts: { kernel: 'hwcm' },
      names: TORCH_CONV_NAMES,
    };
  },
};
