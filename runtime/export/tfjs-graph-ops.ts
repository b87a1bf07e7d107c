/**
 * TensorFlow.js kernels as TensorFlow graph ops (the GraphDef nodes tfjs-converter writes and
 * tf.loadGraphModel runs). Kernel names mostly are TF op names; each entry fills in what differs:
 * operands TF takes as tensors (axes, shapes, sizes), attribute names and input order.
 */
import { EXPORT_ERRORS, exportError } from './codes.js';
import type { TracedOp, TracedValue } from './trace.js';

/** A GraphDef attribute value in TensorFlow's JSON encoding of its protobuf. */
export type TfAttr = Readonly<Record<string, unknown>>;

export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Readonly<Record<string, TfAttr>>;
}

export interface TfContext {
  /** The node name of the op being translated. */
  readonly name: string;
  /** The tensor a kernel input names ("x", "filter", "0", …). */
  input(name: string): string;
  value(name: string): TracedValue;
  /** A new int32 or float32 constant of the graph; returns its tensor name. */
  constant(suffix: string, values: readonly number[], shape: readonly number[], dtype: 'int32' | 'float32'): string;
}

/** The op's node (named ctx.name), after any helper nodes it reads. */
export type TfOp = (op: TracedOp, ctx: TfContext) => TfNode | readonly TfNode[];

export const T_FLOAT: TfAttr = { type: 'DT_FLOAT' };
const ints = (xs: readonly number[]): TfAttr => ({ list: { i: xs.map(String) } });
// btoa rather than Buffer so the playground can build graph models in the browser; attribute texts are ASCII (padding modes, formats).
const text = (s: string): TfAttr => ({ s: btoa(s) });
const bool = (b: boolean): TfAttr => ({ b });
const float = (f: number): TfAttr => ({ f });
export const dtypeAttr = (dtype: string): TfAttr => ({ type: dtype === 'int32' ? 'DT_INT32' : dtype === 'bool' ? 'DT_BOOL' : 'DT_FLOAT' });

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);

/** TF's padding attributes for a tfjs `pad` ('same', 'valid', a number, or explicit [[0,0],[t,b],[l,r],[0,0]]). */
function padding(pad: unknown): Record<string, TfAttr> {
  if (pad === 'same' || pad === 'valid') return { padding: text(pad.toUpperCase()) };
  const explicit = typeof pad === 'number' ? [0, 0, pad, pad, pad, pad, 0, 0] : (pad as number[][]).flat();
  return { padding: text('EXPLICIT'), explicit_paddings: ints(explicit) };
}

const unary = (tfOp: string): TfOp => (op, ctx) => ({ name: ctx.name, op: tfOp, input: [ctx.input('x')], attr: { T: T_FLOAT } });
const binary = (tfOp: string): TfOp => (op, ctx) => ({ name: ctx.name, op: tfOp, input: [ctx.input('a'), ctx.input('b')], attr: { T: dtypeAttr(ctx.value('a').dtype) } });

function convolution(tfOp: string, input: string): TfOp {
  return (op, ctx) => {
    const [sh, sw] = pair(op.attrs.strides);
    const [dh, dw] = pair(op.attrs.dilations ?? 1);
    return {
      name: ctx.name,
      op: tfOp,
      input: [ctx.input(input), ctx.input('filter')],
      attr: { T: T_FLOAT, strides: ints([1, sh, sw, 1]), dilations: ints([1, dh, dw, 1]), data_format: text('NHWC'), ...padding(op.attrs.pad) },
    };
  };
}

/**
 * tf.loadGraphModel runs pools with 'same' or 'valid' padding only: explicit padding of a max pool
 * becomes a pad with −∞ first (which no window picks); an average pool's cannot (TF leaves the padding
 * out of each mean), and is an error naming the format that holds it.
 */
function pool(tfOp: 'MaxPool' | 'AvgPool'): TfOp {
  return (op, ctx) => {
    const [fh, fw] = pair(op.attrs.filterSize);
    const [sh, sw] = pair(op.attrs.strides);
    const attr = { T: T_FLOAT, ksize: ints([1, fh, fw, 1]), strides: ints([1, sh, sw, 1]), data_format: text('NHWC') };
    const { pad } = op.attrs;
    if (pad === 'same' || pad === 'valid') return { name: ctx.name, op: tfOp, input: [ctx.input('x')], attr: { ...attr, ...padding(pad) } };
    if (tfOp === 'AvgPool') throw exportError(EXPORT_ERRORS.unsupportedOp, `block ${op.block} is an average pool with explicit padding, which TensorFlow.js graph models cannot express; export this network with --format onnx or deployed`);
    const [[top, bottom], [left, right]] = typeof pad === 'number' ? [[pad, pad], [pad, pad]] : (pad as number[][]).slice(1, 3);
    const paddings = [0, 0, top!, bottom!, left!, right!, 0, 0];
    const padded: TfNode = {
      name: `${ctx.name}/pad`,
      op: 'PadV2',
      input: [ctx.input('x'), ctx.constant('paddings', paddings, [4, 2], 'int32'), ctx.constant('value', [-Infinity], [], 'float32')],
      attr: { T: T_FLOAT, Tpaddings: dtypeAttr('int32') },
    };
    return [padded, { name: ctx.name, op: tfOp, input: [padded.name], attr: { ...attr, ...padding('valid') } }];
  };
}

function reduction(tfOp: string): TfOp {
  return (op, ctx) => {
    // Max names its axes reductionIndices; Mean, Min and Sum name them axis.
    const axes = [(op.attrs.axis ?? op.attrs.reductionIndices) as number | number[]].flat();
    return { name: ctx.name, op: tfOp, input: [ctx.input('x'), ctx.constant('axes', axes, [axes.length], 'int32')], attr: { T: T_FLOAT, Tidx: dtypeAttr('int32'), keep_dims: bool(Boolean(op.attrs.keepDims)) } };
  };
}

function resize(tfOp: string): TfOp {
  return (op, ctx) => ({
    name: ctx.name,
    op: tfOp,
    input: [ctx.input('images'), ctx.constant('size', op.attrs.size as number[], [2], 'int32')],
    attr: { T: T_FLOAT, align_corners: bool(Boolean(op.attrs.alignCorners)), half_pixel_centers: bool(Boolean(op.attrs.halfPixelCenters)) },
  });
}

/** FusedBatchNorm's optional scale and offset become ones and zeros of the channel count. */
function batchNorm(): TfOp {
  return (op, ctx) => {
    const channels = ctx.value('mean').shape.at(-1)!;
    const optional = (name: string, fill: number) => (name in op.inputs ? ctx.input(name) : ctx.constant(name, new Array(channels).fill(fill), [channels], 'float32'));
    return {
      name: ctx.name,
      op: 'FusedBatchNormV3',
      input: [ctx.input('x'), optional('scale', 1), optional('offset', 0), ctx.input('mean'), ctx.input('variance')],
      attr: { T: T_FLOAT, U: T_FLOAT, epsilon: float(op.attrs.varianceEpsilon as number), is_training: bool(false), data_format: text('NHWC') },
    };
  };
}

/**
 * A transposed convolution: TF's Conv2DBackpropInput takes the output size as a tensor, whose batch
 * entry is read from the input's shape at run time when the batch is free.
 */
const transposedConvolution: TfOp = (op, ctx) => {
  const [batch, ...rest] = op.attrs.inputShape as number[];
  const [sh, sw] = pair(op.attrs.strides);
  const helpers: TfNode[] = [];
  let sizes: string;
  if (batch !== -1) sizes = ctx.constant('input_sizes', [batch!, ...rest], [4], 'int32');
  else {
    const int32 = dtypeAttr('int32');
    helpers.push({ name: `${ctx.name}/shape`, op: 'Shape', input: [ctx.input('dy')], attr: { T: T_FLOAT, out_type: int32 } });
    helpers.push({ name: `${ctx.name}/batch`, op: 'Slice', input: [`${ctx.name}/shape`, ctx.constant('begin', [0], [1], 'int32'), ctx.constant('size', [1], [1], 'int32')], attr: { T: int32, Index: int32 } });
    sizes = `${ctx.name}/input_sizes`;
    helpers.push({ name: sizes, op: 'ConcatV2', input: [`${ctx.name}/batch`, ctx.constant('spatial', rest, [3], 'int32'), ctx.constant('axis', [0], [], 'int32')], attr: { T: int32, N: { i: '2' }, Tidx: int32 } });
  }
  return [
    ...helpers,
    {
      name: ctx.name,
      op: 'Conv2DBackpropInput',
      input: [sizes, ctx.input('filter'), ctx.input('dy')],
      attr: { T: T_FLOAT, strides: ints([1, sh, sw, 1]), dilations: ints([1, 1, 1, 1]), data_format: text('NHWC'), ...padding(op.attrs.pad) },
    },
  ];
};

export const TF_OPS: Readonly<Record<string, TfOp>> = {
  Conv2D: convolution('Conv2D', 'x'),
  DepthwiseConv2dNative: convolution('DepthwiseConv2dNative', 'x'),
  Conv2DBackpropInput: transposedConvolution,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AvgPool'),
  FusedBatchNorm: batchNorm(),
  Relu: unary('Relu'),
  Relu6: unary('Relu6'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Elu: unary('Elu'),
  Selu: unary('Selu'),
  Softplus: unary('Softplus'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Rsqrt: unary('Rsqrt'),
  Square: unary('Square'),
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Erf: unary('Erf'),
  Reciprocal: unary('Reciprocal'),
  LeakyRelu: (op, ctx) => ({ name: ctx.name, op: 'LeakyRelu', input: [ctx.input('x')], attr: { T: T_FLOAT, alpha: float(op.attrs.alpha as number) } }),
  Prelu: (op, ctx) => ({ name: ctx.name, op: 'Prelu', input: [ctx.input('x'), ctx.input('alpha')], attr: { T: T_FLOAT } }),
  Add: binary('AddV2'),
  AddN: (op, ctx) => {
    const parts = Object.keys(op.inputs).map((name) => ctx.input(name));
    return { name: ctx.name, op: 'AddN', input: parts, attr: { T: T_FLOAT, N: { i: String(parts.length) } } };
  },
  Sub: binary('Sub'),
  Multiply: binary('Mul'),
  RealDiv: binary('RealDiv'),
  Maximum: binary('Maximum'),
  Minimum: binary('Minimum'),
  Pow: binary('Pow'),
  SquaredDifference: binary('SquaredDifference'),
  Softmax: (op, ctx) => ({ name: ctx.name, op: 'Softmax', input: [ctx.input('logits')], attr: { T: T_FLOAT } }),
  Concat: (op, ctx) => {
    const parts = Object.keys(op.inputs).map((name) => ctx.input(name));
    return { name: ctx.name, op: 'ConcatV2', input: [...parts, ctx.constant('axis', [op.attrs.axis as number], [], 'int32')], attr: { T: T_FLOAT, N: { i: String(parts.length) }, Tidx: dtypeAttr('int32') } };
  },
  GatherV2: (op, ctx) => ({
    name: ctx.name,
    op: 'GatherV2',
    input: [ctx.input('x'), ctx.input('indices'), ctx.constant('axis', [op.attrs.axis as number], [], 'int32')],
    attr: { Tparams: dtypeAttr(ctx.value('x').dtype), Tindices: dtypeAttr(ctx.value('indices').dtype), Taxis: dtypeAttr('int32'), batch_dims: { i: String(op.attrs.batchDims ?? 0) } },
  }),
  Reshape: (op, ctx) => {
    const shape = op.attrs.shape as number[];
    return { name: ctx.name, op: 'Reshape', input: [ctx.input('x'), ctx.constant('shape', shape, [shape.length], 'int32')], attr: { T: dtypeAttr(ctx.value('x').dtype), Tshape: dtypeAttr('int32') } };
  },
  Transpose: (op, ctx) => {
    const perm = op.attrs.perm as number[];
    return { name: ctx.name, op: 'Transpose', input: [ctx.input('x'), ctx.constant('perm', perm, [perm.length], 'int32')], attr: { T: T_FLOAT, Tperm: dtypeAttr('int32') } };
  },
  Tile: (op, ctx) => {
    const reps = op.attrs.reps as number[];
    return { name: ctx.name, op: 'Tile', input: [ctx.input('x'), ctx.constant('multiples', reps, [reps.length], 'int32')], attr: { T: T_FLOAT, Tmultiples: dtypeAttr('int32') } };
  },
  Slice: (op, ctx) => {
    const [begin, size] = [op.attrs.begin as number[], op.attrs.size as number[]];
    return { name: ctx.name, op: 'Slice', input: [ctx.input('x'), ctx.constant('begin', begin, [begin.length], 'int32'), ctx.constant('size', size, [size.length], 'int32')], attr: { T: T_FLOAT, Index: dtypeAttr('int32') } };
  },
  PadV2: (op, ctx) => {
    const paddings = (op.attrs.paddings as number[][]).flat();
    return {
      name: ctx.name,
      op: 'PadV2',
      input: [ctx.input('x'), ctx.constant('paddings', paddings, [paddings.length / 2, 2], 'int32'), ctx.constant('value', [op.attrs.constantValue as number], [], 'float32')],
      attr: { T: T_FLOAT, Tpaddings: dtypeAttr('int32') },
    };
  },
  BatchMatMul: (op, ctx) => ({ name: ctx.name, op: 'BatchMatMulV2', input: [ctx.input('a'), ctx.input('b')], attr: { T: T_FLOAT, adj_x: bool(Boolean(op.attrs.transposeA)), adj_y: bool(Boolean(op.attrs.transposeB)) } }),
  ResizeNearestNeighbor: resize('ResizeNearestNeighbor'),
  ResizeBilinear: resize('ResizeBilinear'),
  Mean: reduction('Mean'),
  Max: reduction('Max'),
  Min: reduction('Min'),
  Sum: reduction('Sum'),
  Cast: (op, ctx) => ({ name: ctx.name, op: 'Cast', input: [ctx.input('x')], attr: { SrcT: dtypeAttr(ctx.value('x').dtype), DstT: dtypeAttr(op.attrs.dtype as string) } }),
  Identity: (op, ctx) => ({ name: ctx.name, op: 'Identity', input: [ctx.input('x')], attr: { T: dtypeAttr(ctx.value('x').dtype) } }),
};
