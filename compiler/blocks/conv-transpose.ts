/** Transposed ("fractionally strided") convolution for learned upsampling. */
import type { Attrs } from '../ir/ir.js';
import type { BlockDef, Pair } from './block.js';
import { bool, num, optionalPair, pair, padding } from './attr.js';
import { axisPadding, transposeOutputSize, transposePadBefore } from './arith.js';
import { biasArg, filtersArg, kernelSizeArg, paddingArg } from './common-args.js';
import { addBias, bindInput, lit } from './emit-util.js';
import { requireFeatureMap } from './feature-map.js';
import { dims, paddingText } from './text.js';
import { py } from './torch-util.js';
import { kernelAndBias } from './weights.js';

/** The stride defaults to the kernel size: non-overlapping tiles, an exact ×size upsampling. */
const strideOf = (attrs: Attrs): Pair => optionalPair(attrs, 'stride') ?? pair(attrs, 'size');

function outputSize(hw: Pair, attrs: Attrs): Pair {
  const [k, s, p] = [pair(attrs, 'size'), strideOf(attrs), padding(attrs)];
  return [transposeOutputSize(hw[0], k[0], s[0], axisPadding(p, 0)), transposeOutputSize(hw[1], k[1], s[1], axisPadding(p, 1))];
}

function tfPadding(attrs: Attrs): string {
  const p = padding(attrs);
  return typeof p === 'string' ? lit(p) : lit([[0, 0], [p[0], p[0]], [p[1], p[1]], [0, 0]]);
}

export const conv_transpose: BlockDef = {
  kind: 'conv_transpose',
  summary: 'transposed convolution (learned upsampling): out = in·stride (same) or (in − 1)·stride + size − 2·padding',
  category: new Set(['spatial', 'parametric']),
  args: {
    filters: filtersArg,
    size: kernelSizeArg(2),
    stride: { type: 'int2', default: null, min: 1, doc: 'upsampling step; omitted means the kernel size' },
    padding: paddingArg('same', 'same (output = input · stride), valid (output = (input − 1) · stride + size), or an int / [height, width] removed from each side'),
    bias: biasArg(true),
  },
  positional: ['filters', 'size'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('conv_transpose', inputs[0]!, ctx);
    if (map === null) return null;
    const out = outputSize([map[0], map[1]], attrs);
    if (out.some((n) => n < 1)) {
      ctx.error('GN0307', `conv_transpose with ${paddingText(padding(attrs))} leaves no output: ${dims(map.slice(0, 2))} → ${dims(out)}`, {
        help: 'explicit padding removes 2·padding rows and columns; use a smaller padding or a larger kernel',
      });
      return null;
    }
    return [...out, num(attrs, 'filters')];
  },
  params(inputs, attrs) {
    const [kh, kw] = pair(attrs, 'size');
    const filters = num(attrs, 'filters');
    // tfjs conv2dTranspose expects [kh, kw, out, in].
    return kernelAndBias([kh, kw, filters, inputs[0]![2]!], filters, bool(attrs, 'bias'));
  },
  macs(inputs, attrs) {
    // Every input pixel scatters a kh×kw window into every output channel.
    const [h, w, c] = inputs[0]!;
    const [kh, kw] = pair(attrs, 'size');
    return h! * w! * c! * kh * kw * num(attrs, 'filters');
  },
  receptiveField(_inputs, attrs) {
    const [k, s, p] = [pair(attrs, 'size'), strideOf(attrs), padding(attrs)];
    const padBefore: Pair = [transposePadBefore(k[0], s[0], axisPadding(p, 0)), transposePadBefore(k[1], s[1], axisPadding(p, 1))];
    return { kind: 'transpose', kernel: k, stride: s, padBefore };
  },
  emit(ctx) {
    const [h, w, c] = ctx.outShape;
    const stride = lit(strideOf(ctx.attrs));
    const call = bindInput(
      ctx.inputs[0]!,
      (x) => `tf.conv2dTranspose(${x}, ${ctx.weight('kernel')}, [${x}.shape[0], ${lit(h!)}, ${lit(w!)}, ${lit(c!)}], ${stride}, ${tfPadding(ctx.attrs)})`,
    );
    return addBias(call, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const [k, s, p] = [pair(ctx.attrs, 'size'), strideOf(ctx.attrs), padding(ctx.attrs)];
    const padBefore = [transposePadBefore(k[0], s[0], axisPadding(p, 0)), transposePadBefore(k[1], s[1], axisPadding(p, 1))];
    const [h, w] = ctx.outShape;
    const args = [ctx.inputShapes[0]![2]!, num(ctx.attrs, 'filters'), py(k), py(s), py(padBefore), py([h!, w!])];
    return { layer: `gt.ConvTranspose2d(${args.join(', ')}, bias=${py(bool(ctx.attrs, 'bias'))})`, layouts: { kernel: 'hwoi' } };
  },
};
