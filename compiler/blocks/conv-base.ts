/**
 * What conv and depthwise share: the window read from attributes, the output size with its checks,
 * the receptive-field rule and the tfjs call, on images (2-D) and volumes (3-D) alike.
 */
import type { Attrs, Shape } from '../ir/ir.js';
import type { ArgSpec, Axes, EmitContext, RFRule, ShapeContext, TorchEmitContext } from './block.js';
import { product } from './arith.js';
import { biasArg, dilationArg, kernelSizeArg, paddingArg, roundArg, strideArg } from './common-args.js';
import { spatialOf, type FeatureMap } from './feature-map.js';
import { torchPadding, py } from './torch-util.js';
import { appliedPadding, readWindow, runtimePadding, tfPaddingLiteral, windowOutput, windowRF, type Window } from './window.js';

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

export function convWindow(attrs: Attrs, rank = 2): Window {
  return readWindow(attrs, rank, { dilation: true });
}

/** Output spatial sizes of a convolution window, or null after reporting GN0303/GN0304. */
export function convOutput(map: FeatureMap, attrs: Attrs, ctx: ShapeContext): Axes | null {
  return windowOutput(map.spatial, convWindow(attrs, map.spatial.length), ctx);
}

export function convReceptiveField(inputs: readonly Shape[], attrs: Attrs): RFRule {
  const spatial = spatialOf(inputs[0]!);
  return windowRF(spatial, convWindow(attrs, spatial.length));
}

/** Multiply-adds: every output position of every output channel sums (kernel volume)·(input channels per group) products. */
export function convMacs(out: Shape, attrs: Attrs, inputsPerOutput: number): number {
  const rank = out.length - 1;
  return product(out) * product(convWindow(attrs, rank).kernel) * inputsPerOutput;
}

/**
 * A convolution call. 2-D: tf.conv2d when tfjs can run and differentiate it, else rt.groupedConv2d,
 * which handles groups and dilation (tfjs' convolution gradients refuse dilation > 1, its forward refuses
 * stride and dilation both > 1). 3-D: rt.conv3d, which pads, dilates and splits groups the same way.
 * `kernel` is [(kd,) kh, kw, in/groups, out].
 */
export function convCall(ctx: EmitContext, kernel: string, groups: number): string {
  const spatial = spatialOf(ctx.inputShapes[0]!);
  const w = convWindow(ctx.attrs, spatial.length);
  const [stride, dilation] = [JSON.stringify(w.stride), JSON.stringify(w.dilation)];
  if (spatial.length === 3) {
    return `rt.conv3d(${ctx.inputs[0]}, ${kernel}, ${stride}, ${JSON.stringify(appliedPadding(spatial, w))}, ${dilation}, ${JSON.stringify(groups)})`;
  }
  const dilated = w.dilation.some((d) => d > 1);
  if (groups === 1 && !dilated) {
    return `tf.conv2d(${ctx.inputs[0]}, ${kernel}, ${stride}, ${tfPaddingLiteral(spatial, w)}, "NHWC", ${dilation})`;
  }
  const { input, padding } = runtimePadding(ctx.inputs[0]!, spatial, w);
  return `rt.groupedConv2d(${input}, ${kernel}, ${stride}, ${JSON.stringify(padding)}, ${dilation}, ${JSON.stringify(groups)})`;
}

/** Whether tf.depthwiseConv2d can run and differentiate this window (an image, dilation 1: its gradient refuses more). */
export function tfjsRunsDirectly(inShape: Shape, attrs: Attrs): boolean {
  return inShape.length === 3 && !convWindow(attrs).dilation.some((d) => d > 1);
}

/** tf.depthwiseConv2d's `strides, pad, dataFormat, dilations` arguments. */
export function depthwiseCallArgs(ctx: EmitContext): string {
  const w = convWindow(ctx.attrs);
  const pad = tfPaddingLiteral(spatialOf(ctx.inputShapes[0]!), w);
  return `${JSON.stringify(w.stride)}, ${pad}, "NHWC", ${JSON.stringify(w.dilation)}`;
}

/** The `stride=…, padding=…, dilation=…` arguments of the torch runtime's Conv2d and Depthwise (and their 3-D twins). */
export function torchWindowArgs(ctx: TorchEmitContext): string {
  const spatial = spatialOf(ctx.inputShapes[0]!);
  const w = convWindow(ctx.attrs, spatial.length);
  return `stride=${py(w.stride)}, padding=${torchPadding(spatial, w)}, dilation=${py(w.dilation)}`;
}
