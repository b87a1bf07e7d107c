/** Transposed ("fractionally strided") convolution for learned upsampling. */
import type { Attrs, Shape } from '../ir/ir.js';
import type { Axes, BlockDef } from './block.js';
import { axes, bool, num, optionalAxes, padding } from './attr.js';
import { axisPadding, product, transposeOutputSize, transposePadBefore, type Padding } from './arith.js';
import { biasArg, filtersArg, kernelSizeArg, paddingArg } from './common-args.js';
import { addBias, bindInput, lit } from './emit-util.js';
import { channels, requireFeatureMap, spatialOf } from './feature-map.js';
import { dims, paddingText } from './text.js';
import { py } from './torch-util.js';
import { kernelAndBias } from './weights.js';

interface TransposeWindow {
  readonly kernel: Axes;
  /** Defaults to the kernel size: non-overlapping tiles, an exact ×size upsampling. */
  readonly stride: Axes;
  readonly padding: Padding;
}

function transposeWindow(attrs: Attrs, rank: number): TransposeWindow {
  const kernel = axes(attrs, 'size', rank);
  return { kernel, stride: optionalAxes(attrs, 'stride', rank) ?? kernel, padding: padding(attrs, rank) };
}

function outputSize(spatial: Axes, attrs: Attrs): Axes {
  const w = transposeWindow(attrs, spatial.length);
  return spatial.map((n, i) => transposeOutputSize(n, w.kernel[i]!, w.stride[i]!, axisPadding(w.padding, i)));
}

function padBefore(w: TransposeWindow): Axes {
  return w.kernel.map((k, i) => transposePadBefore(k, w.stride[i]!, axisPadding(w.padding, i)));
}

function tfPadding(attrs: Attrs): string {
  const p = padding(attrs);
  return typeof p === 'string' ? lit(p) : lit([[0, 0], [p[0]!, p[0]!], [p[1]!, p[1]!], [0, 0]]);
}

/**
 * 2-D: tf.conv2dTranspose. 3-D: rt.conv3dTranspose (tfjs' own has no gradient), which runs 'same' or
 * 'valid' and crops explicit padding off each side after.
 */
function transposeCall(x: string, kernel: string, inShape: Shape, outShape: Shape, attrs: Attrs): string {
  const spatial = spatialOf(inShape);
  const w = transposeWindow(attrs, spatial.length);
  if (spatial.length === 3) {
    const crop = typeof w.padding === 'string' ? spatial.map(() => 0) : w.padding;
    return `rt.conv3dTranspose(${x}, ${kernel}, ${lit(outShape)}, ${lit(w.stride)}, ${lit(w.padding === 'same' ? 'same' : 'valid')}, ${lit(crop)})`;
  }
  const [h, wd, c] = outShape;
  return `tf.conv2dTranspose(${x}, ${kernel}, [${x}.shape[0], ${lit(h!)}, ${lit(wd!)}, ${lit(c!)}], ${lit(w.stride)}, ${tfPadding(attrs)})`;
}

export const conv_transpose: BlockDef = {
  kind: 'conv_transpose',
  summary: 'transposed convolution (learned upsampling): out = in·stride (same) or (in − 1)·stride + size − 2·padding',
  category: new Set(['spatial', 'parametric']),
  args: {
    filters: filtersArg,
    size: kernelSizeArg(2),
    stride: { type: 'axes', default: null, min: 1, doc: 'upsampling step; omitted means the kernel size' },
    padding: paddingArg('same', 'same (output = input · stride), valid (output = (input − 1) · stride + size), or an int / a list per axis removed from each side'),
    bias: biasArg(true),
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('conv_transpose', inputs[0]!, ctx);
    if (map === null) return null;
    const out = outputSize(map.spatial, attrs);
    if (out.some((n) => n < 1)) {
      ctx.error('GN0307', `conv_transpose with ${paddingText(padding(attrs, map.spatial.length))} leaves no output: ${dims(map.spatial)} → ${dims(out)}`, {
        help: 'explicit padding removes 2·padding rows and columns; use a smaller padding or a larger kernel',
      });
      return null;
    }
    return [...out, num(attrs, 'filters')];
  },
  params(inputs, attrs) {
    const kernel = transposeWindow(attrs, spatialOf(inputs[0]!).length).kernel;
    const filters = num(attrs, 'filters');
    // tfjs conv2dTranspose / conv3dTranspose expect [(kd,) kh, kw, out, in].
    return kernelAndBias([...kernel, filters, channels(inputs[0]!)], filters, bool(attrs, 'bias'));
  },
  macs(inputs, attrs) {
    // Every input position scatters a kernel window into every output channel.
    const kernel = transposeWindow(attrs, spatialOf(inputs[0]!).length).kernel;
    return product(inputs[0]!) * product(kernel) * num(attrs, 'filters');
  },
  receptiveField(inputs, attrs) {
    const w = transposeWindow(attrs, spatialOf(inputs[0]!).length);
    return { kind: 'transpose', kernel: w.kernel, stride: w.stride, padBefore: padBefore(w) };
  },
  emit(ctx) {
    const call = bindInput(ctx.inputs[0]!, (x) => transposeCall(x, ctx.weight('kernel'), ctx.inputShapes[0]!, ctx.outShape, ctx.attrs));
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const input = ctx.inputShapes[0]!;
    const rank = spatialOf(input).length;
    const w = transposeWindow(ctx.attrs, rank);
    const args = [channels(input), num(ctx.attrs, 'filters'), py(w.kernel), py(w.stride), py(padBefore(w)), py(spatialOf(ctx.outShape))];
    return { layer: `gt.ConvTranspose${rank}d(${args.join(', ')}, bias=${py(bool(ctx.attrs, 'bias'))})`, layouts: { kernel: 'hwoi' } };
  },
};
