/**
 * What conv and depthwise share: the window read from attributes, the output size with its checks,
 * the receptive-field rule and the tfjs padding argument.
 */
import type { Attrs, Shape } from '../ir/ir.js';
import type { ArgSpec, EmitContext, Pair, RFRule, ShapeContext, TorchEmitContext } from './block.js';
import { pair, padding, rounding } from './attr.js';
import { biasArg, dilationArg, kernelSizeArg, paddingArg, roundArg, strideArg } from './common-args.js';
import type { FeatureMap } from './feature-map.js';
import { torchPadding, py } from './torch-util.js';
import { runtimePadding, tfPaddingLiteral, windowOutput, windowRF, type Window } from './window.js';

export const convWindowArgs: Readonly<Record<string, ArgSpec>> = {
  size: kernelSizeArg(3),
  stride: strideArg,
  dilation: dilationArg,
  padding: paddingArg('same'),
};

export const convTailArgs: Readonly<Record<string, ArgSpec>> = {
  bias: biasArg(true),
  round: roundArg,
};

export function convWindow(attrs: Attrs): Window {
  return { kernel: pair(attrs, 'size'), stride: pair(attrs, 'stride'), dilation: pair(attrs, 'dilation'), padding: padding(attrs), round: rounding(attrs) };
}

const spatial = (shape: Shape): Pair => [shape[0]!, shape[1]!];

/** Output [H, W] of a convolution window, or null after reporting GN0303/GN0304. */
export function convOutput(map: FeatureMap, attrs: Attrs, ctx: ShapeContext): Pair | null {
  return windowOutput(spatial(map), convWindow(attrs), ctx);
}

export function convReceptiveField(inputs: readonly Shape[], attrs: Attrs): RFRule {
  return windowRF(spatial(inputs[0]!), convWindow(attrs));
}

/** Multiply-adds: every output pixel of every output channel sums kh·kw·(input channels per group) products. */
export function convMacs(out: Shape, attrs: Attrs, inputsPerOutput: number): number {
  const [kh, kw] = pair(attrs, 'size');
  return out[0]! * out[1]! * out[2]! * kh * kw * inputsPerOutput;
}

/**
 * A convolution call: tf.conv2d when tfjs can run and differentiate it, else rt.groupedConv2d, which
 * handles groups and dilation (tfjs' convolution gradients refuse dilation > 1, its forward refuses
 * stride and dilation both > 1). `kernel` is [kh, kw, in/groups, out].
 */
export function convCall(ctx: EmitContext, kernel: string, groups: number): string {
  const inShape = ctx.inputShapes[0]!;
  const w = convWindow(ctx.attrs);
  const [stride, dilation] = [JSON.stringify(w.stride), JSON.stringify(w.dilation)];
  const dilated = w.dilation.some((d) => d > 1);
  if (groups === 1 && !dilated) {
    return `tf.conv2d(${ctx.inputs[0]}, ${kernel}, ${stride}, ${tfPaddingLiteral(spatial(inShape), w)}, "NHWC", ${dilation})`;
  }
  const { input, padding } = runtimePadding(ctx.inputs[0]!, spatial(inShape), w);
  return `rt.groupedConv2d(${input}, ${kernel}, ${stride}, ${JSON.stringify(padding)}, ${dilation}, ${JSON.stringify(groups)})`;
}

/** Whether tf.depthwiseConv2d can run and differentiate this window (its gradient refuses dilation above 1). */
export function tfjsRunsDirectly(attrs: Attrs): boolean {
  return !convWindow(attrs).dilation.some((d) => d > 1);
}

/** tf.depthwiseConv2d's `strides, pad, dataFormat, dilations` arguments. */
export function depthwiseCallArgs(ctx: EmitContext): string {
  const w = convWindow(ctx.attrs);
  const pad = tfPaddingLiteral(spatial(ctx.inputShapes[0]!), w);
  return `${JSON.stringify(w.stride)}, ${pad}, "NHWC", ${JSON.stringify(w.dilation)}`;
}

/** The `stride=…, padding=…, dilation=…` arguments of the torch runtime's Conv2d and Depthwise. */
export function torchWindowArgs(ctx: TorchEmitContext): string {
  const w = convWindow(ctx.attrs);
  return `stride=${py(w.stride)}, padding=${torchPadding(spatial(ctx.inputShapes[0]!), w)}, dilation=${py(w.dilation)}`;
}
