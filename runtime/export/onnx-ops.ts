/**
 * TensorFlow.js kernels as ONNX nodes (opset 17). The exported graph keeps gnet's NHWC layout; the
 * ops whose ONNX form is channels-first (Conv, MaxPool, AveragePool, Resize) are wrapped in a pair
 * of Transposes, which onnxruntime's optimiser cancels between neighbours. Convolution filters
 * (HWIO in TensorFlow.js) are rearranged to ONNX's OIHW when written.
 */
import { ATTRIBUTE_TYPES, type OnnxAttribute } from './onnx-proto.js';
import type { TracedOp, TracedValue } from './trace.js';

export interface OnnxContext {
  /** The tensor a kernel input names ("x", "filter", "0", …). */
  input(key: string): string;
  value(key: string): TracedValue;
  /** The values of an input that is a weight or constant, else undefined. */
  constantOf(key: string): Float32Array | undefined;
  /** A new initializer; returns its name. */
  constant(suffix: string, values: ArrayLike<number>, dims: readonly number[], type: 'float' | 'int64'): string;
  /** Appends a node; its output is `output` (the op's result) or a new intermediate name. */
  node(opType: string, inputs: readonly string[], attributes?: readonly OnnxAttribute[], output?: string): string;
  /** The name the op's (first) result must have. */
  readonly output: string;
}

export type OnnxOp = (op: TracedOp, ctx: OnnxContext) => void;

export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPES.int, i });
export const intsAttr = (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPES.ints, ints });
const floatAttr = (name: string, f: number): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPES.float, f });
const stringAttr = (name: string, s: string): OnnxAttribute => ({ name, type: ATTRIBUTE_TYPES.string, s: new TextEncoder().encode(s) });

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const INT64_MAX_SAFE = 2 ** 53 - 1;

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);

/** ONNX padding attributes for a tfjs `pad` ('same' is SAME_UPPER: the extra row and column go last). */
function padding(pad: unknown): OnnxAttribute[] {
  if (pad === 'same') return [stringAttr('auto_pad', 'SAME_UPPER')];
  if (pad === 'valid') return [stringAttr('auto_pad', 'VALID')];
  const [[top, bottom], [left, right]] = typeof pad === 'number' ? [[pad, pad], [pad, pad]] : (pad as number[][]).slice(1, 3);
  return [intsAttr('pads', [top!, left!, bottom!, right!])];
}

/** `opType` on the NCHW view of the op's NHWC input, the result turned back to NHWC. */
function channelsFirst(ctx: OnnxContext, opType: string, x: string, rest: readonly string[], attributes: readonly OnnxAttribute[]): void {
  const nchw = ctx.node('Transpose', [x], [intsAttr('perm', TO_NCHW)]);
  const y = ctx.node(opType, [nchw, ...rest], attributes);
  ctx.node('Transpose', [y], [intsAttr('perm', TO_NHWC)], ctx.output);
}

/** A filter [kh, kw, a, b] rearranged to [b·mult, a/mult…, kh, kw] as ONNX Conv reads it. */
function filterOihw(values: Float32Array, [kh, kw, a, b]: readonly number[], depthwise: boolean): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  // Conv: [kh, kw, in, out] → [out, in, kh, kw]. Depthwise: [kh, kw, C, M] → [C·M, 1, kh, kw], channel c·M + m.
  for (let y = 0; y < kh!; y++) {
    for (let x = 0; x < kw!; x++) {
      for (let i = 0; i < a!; i++) {
        for (let o = 0; o < b!; o++) {
          const from = ((y * kw! + x) * a! + i) * b! + o;
          const to = depthwise ? ((i * b! + o) * kh! + y) * kw! + x : ((o * a! + i) * kh! + y) * kw! + x;
          out[to] = values[from]!;
        }
      }
    }
  }
  return { values: out, dims: depthwise ? [a! * b!, 1, kh!, kw!] : [b!, a!, kh!, kw!] };
}

function convolution(depthwise: boolean): OnnxOp {
  return (op, ctx) => {
    const filter = ctx.constantOf('filter');
    const shape = ctx.value('filter').shape;
    if (!filter) throw new Error(`export: the filter of ${op.kernel} is computed, not a weight`);
    const { values, dims } = filterOihw(filter, shape, depthwise);
    const w = ctx.constant('filter', values, dims, 'float');
    const attributes = [
      intsAttr('kernel_shape', [shape[0]!, shape[1]!]),
      intsAttr('strides', pair(op.attrs.strides)),
      intsAttr('dilations', pair(op.attrs.dilations ?? 1)),
      intAttr('group', depthwise ? shape[2]! : 1),
      ...padding(op.attrs.pad),
    ];
    channelsFirst(ctx, 'Conv', ctx.input('x'), [w], attributes);
  };
}

/**
 * A transposed convolution: the filter [kh, kw, out, in] becomes ONNX's [in, out, kh, kw]; pads and
 * output_padding are worked out from the output size, as TensorFlow pads the convolution it inverts.
 */
const transposedConvolution: OnnxOp = (op, ctx) => {
  const filter = ctx.constantOf('filter');
  const [kh, kw, outC, inC] = ctx.value('filter').shape as [number, number, number, number];
  if (!filter) throw new Error('export: the filter of a transposed convolution is computed, not a weight');
  const w = new Float32Array(filter.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let o = 0; o < outC; o++) for (let i = 0; i < inC; i++) w[((i * outC + o) * kh + y) * kw + x] = filter[((y * kw + x) * outC + o) * inC + i]!;
  const [, inH, inW] = ctx.value('dy').shape;
  const [, outH, outW] = op.attrs.inputShape as number[];
  const strides = pair(op.attrs.strides);
  const axis = (size: number, out: number, k: number, s: number, pad: unknown) => {
    // The forward convolution out → size: TF's 'same' pads max((size − 1)·s + k − out, 0), the smaller half first.
    const total = pad === 'same' ? Math.max((size - 1) * s + k - out, 0) : pad === 'valid' ? 0 : 2 * (typeof pad === 'number' ? pad : 0);
    const before = pad === 'same' ? Math.floor(total / 2) : total / 2;
    const after = total - before;
    return { before, after, extra: out - ((size - 1) * s + k - before - after) };
  };
  if (Array.isArray(op.attrs.pad)) throw new Error('export: explicit padding of a transposed convolution is not supported');
  const [ph, pw] = [axis(inH!, outH!, kh, strides[0], op.attrs.pad), axis(inW!, outW!, kw, strides[1], op.attrs.pad)];
  const attributes = [
    intsAttr('kernel_shape', [kh, kw]),
    intsAttr('strides', strides),
    intsAttr('pads', [ph.before, pw.before, ph.after, pw.after]),
    intsAttr('output_padding', [ph.extra, pw.extra]),
  ];
  channelsFirst(ctx, 'ConvTranspose', ctx.input('dy'), [ctx.constant('filter', w, [inC, outC, kh, kw], 'float')], attributes);
};

function pool(opType: string): OnnxOp {
  return (op, ctx) => {
    const attributes = [intsAttr('kernel_shape', pair(op.attrs.filterSize)), intsAttr('strides', pair(op.attrs.strides)), ...padding(op.attrs.pad)];
    if (op.attrs.dimRoundingMode === 'ceil') attributes.push(intAttr('ceil_mode', 1));
    channelsFirst(ctx, opType, ctx.input('x'), [], attributes);
  };
}

const unary = (opType: string, attributes: readonly OnnxAttribute[] = []): OnnxOp => (op, ctx) => void ctx.node(opType, [ctx.input('x')], attributes, ctx.output);
const binary = (opType: string): OnnxOp => (op, ctx) => void ctx.node(opType, [ctx.input('a'), ctx.input('b')], [], ctx.output);

function reduction(opType: string): OnnxOp {
  return (op, ctx) => {
    const axes = [(op.attrs.axis ?? op.attrs.reductionIndices) as number | number[]].flat();
    const keepdims = intAttr('keepdims', op.attrs.keepDims ? 1 : 0);
    // Opset 17: ReduceSum takes its axes as an input, the other reductions as an attribute.
    if (opType === 'ReduceSum') ctx.node(opType, [ctx.input('x'), ctx.constant('axes', axes, [axes.length], 'int64')], [keepdims], ctx.output);
    else ctx.node(opType, [ctx.input('x')], [intsAttr('axes', axes), keepdims], ctx.output);
  };
}

/** Batch norm at inference, folded: y = x · γ/√(v + ε) + (β − m · γ/√(v + ε)), per channel (the last axis). */
const batchNorm: OnnxOp = (op, ctx) => {
  const [mean, variance] = [ctx.constantOf('mean'), ctx.constantOf('variance')];
  const [scale, offset] = ['scale' in op.inputs ? ctx.constantOf('scale') : undefined, 'offset' in op.inputs ? ctx.constantOf('offset') : undefined];
  if (!mean || !variance || ('scale' in op.inputs && !scale) || ('offset' in op.inputs && !offset)) throw new Error('export: batch norm statistics are computed, not weights');
  const epsilon = op.attrs.varianceEpsilon as number;
  const factor = Float32Array.from(mean, (_, c) => (scale ? scale[c]! : 1) / Math.sqrt(variance[c]! + epsilon));
  const shift = Float32Array.from(mean, (m, c) => (offset ? offset[c]! : 0) - m * factor[c]!);
  const scaled = ctx.node('Mul', [ctx.input('x'), ctx.constant('scale', factor, [factor.length], 'float')]);
  ctx.node('Add', [scaled, ctx.constant('shift', shift, [shift.length], 'float')], [], ctx.output);
};

function resize(mode: 'nearest' | 'linear'): OnnxOp {
  return (op, ctx) => {
    const [, h, w] = ctx.value('images').shape;
    const [outH, outW] = op.attrs.size as [number, number];
    const scales = ctx.constant('scales', [1, 1, outH / h!, outW / w!], [4], 'float');
    const transform = op.attrs.alignCorners ? 'align_corners' : op.attrs.halfPixelCenters ? (mode === 'nearest' ? 'tf_half_pixel_for_nn' : 'half_pixel') : 'asymmetric';
    const attributes = [stringAttr('mode', mode), stringAttr('coordinate_transformation_mode', transform)];
    if (mode === 'nearest') attributes.push(stringAttr('nearest_mode', op.attrs.alignCorners ? 'round_prefer_ceil' : 'floor'));
    channelsFirst(ctx, 'Resize', ctx.input('images'), ['', scales], attributes);
  };
}

/** a·b with a's or b's last two axes swapped first when the kernel says so. */
const matMul: OnnxOp = (op, ctx) => {
  const swapped = (key: string, flag: unknown) => {
    if (!flag) return ctx.input(key);
    const rank = ctx.value(key).shape.length;
    const perm = [...Array(rank).keys()].map((axis) => (axis === rank - 2 ? rank - 1 : axis === rank - 1 ? rank - 2 : axis));
    return ctx.node('Transpose', [ctx.input(key)], [intsAttr('perm', perm)]);
  };
  ctx.node('MatMul', [swapped('a', op.attrs.transposeA), swapped('b', op.attrs.transposeB)], [], ctx.output);
};

const CAST_TO: Readonly<Record<string, number>> = { float32: 1, int32: 6, bool: 9 };

export const ONNX_OPS: Readonly<Record<string, OnnxOp>> = {
  Conv2D: convolution(false),
  DepthwiseConv2dNative: convolution(true),
  Conv2DBackpropInput: transposedConvolution,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  FusedBatchNorm: batchNorm,
  Relu: unary('Relu'),
  Relu6: (op, ctx) => void ctx.node('Clip', [ctx.input('x'), ctx.constant('min', [0], [], 'float'), ctx.constant('max', [6], [], 'float')], [], ctx.output),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Elu: unary('Elu', [floatAttr('alpha', 1)]),
  Selu: unary('Selu'),
  Softplus: unary('Softplus'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Rsqrt: (op, ctx) => void ctx.node('Reciprocal', [ctx.node('Sqrt', [ctx.input('x')])], [], ctx.output),
  Square: (op, ctx) => void ctx.node('Mul', [ctx.input('x'), ctx.input('x')], [], ctx.output),
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Erf: unary('Erf'),
  Reciprocal: unary('Reciprocal'),
  LeakyRelu: (op, ctx) => void ctx.node('LeakyRelu', [ctx.input('x')], [floatAttr('alpha', op.attrs.alpha as number)], ctx.output),
  Prelu: (op, ctx) => void ctx.node('PRelu', [ctx.input('x'), ctx.input('alpha')], [], ctx.output),
  Add: binary('Add'),
  AddN: (op, ctx) => void ctx.node('Sum', Object.keys(op.inputs).map((key) => ctx.input(key)), [], ctx.output),
  Sub: binary('Sub'),
  Multiply: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  SquaredDifference: (op, ctx) => {
    const d = ctx.node('Sub', [ctx.input('a'), ctx.input('b')]);
    ctx.node('Mul', [d, d], [], ctx.output);
  },
  Softmax: (op, ctx) => void ctx.node('Softmax', [ctx.input('logits')], [intAttr('axis', op.attrs.dim as number)], ctx.output),
  Concat: (op, ctx) => void ctx.node('Concat', Object.keys(op.inputs).map((key) => ctx.input(key)), [intAttr('axis', op.attrs.axis as number)], ctx.output),
  GatherV2: (op, ctx) => {
    if (op.attrs.batchDims) throw new Error('export: a gather with batch dimensions is not supported');
    ctx.node('Gather', [ctx.input('x'), ctx.input('indices')], [intAttr('axis', op.attrs.axis as number)], ctx.output);
  },
  Reshape: (op, ctx) => {
    const shape = op.attrs.shape as number[];
    ctx.node('Reshape', [ctx.input('x'), ctx.constant('shape', shape, [shape.length], 'int64')], [], ctx.output);
  },
  Transpose: (op, ctx) => void ctx.node('Transpose', [ctx.input('x')], [intsAttr('perm', op.attrs.perm as number[])], ctx.output),
  Tile: (op, ctx) => {
    const reps = op.attrs.reps as number[];
    ctx.node('Tile', [ctx.input('x'), ctx.constant('repeats', reps, [reps.length], 'int64')], [], ctx.output);
  },
  Slice: (op, ctx) => {
    const rank = ctx.value('x').shape.length;
    const begin = [op.attrs.begin as number | number[]].flat();
    const size = [op.attrs.size as number | number[]].flat();
    const ends = begin.map((b, axis) => (size[axis] === -1 ? INT64_MAX_SAFE : b + size[axis]!));
    const axes = [...Array(Math.min(rank, begin.length)).keys()];
    ctx.node('Slice', [ctx.input('x'), ctx.constant('starts', begin, [begin.length], 'int64'), ctx.constant('ends', ends, [ends.length], 'int64'), ctx.constant('axes', axes, [axes.length], 'int64')], [], ctx.output);
  },
  PadV2: (op, ctx) => {
    const paddings = op.attrs.paddings as [number, number][];
    const pads = [...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])];
    ctx.node('Pad', [ctx.input('x'), ctx.constant('pads', pads, [pads.length], 'int64'), ctx.constant('value', [op.attrs.constantValue as number], [], 'float')], [stringAttr('mode', 'constant')], ctx.output);
  },
  BatchMatMul: matMul,
  ResizeNearestNeighbor: resize('nearest'),
  ResizeBilinear: resize('linear'),
  Mean: reduction('ReduceMean'),
  Max: reduction('ReduceMax'),
  Min: reduction('ReduceMin'),
  Sum: reduction('ReduceSum'),
  Cast: (op, ctx) => void ctx.node('Cast', [ctx.input('x')], [intAttr('to', CAST_TO[op.attrs.dtype as string] ?? 1)], ctx.output),
  Identity: unary('Identity'),
};
