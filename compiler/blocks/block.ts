import type { AttrValue, Attrs, Shape } from '../ir/ir.js';
import type { DiagnosticExtra } from '../diagnostics/diagnostic.js';
import type { GnCode } from '../diagnostics/codes.js';

/**
 * Everything the compiler knows about one kind of block lives in one file that exports a BlockDef:
 * its arguments and defaults, shape rule, parameters, cost, receptive-field rule and emission.
 */

export type ArgType =
  | 'int' // integer expression
  | 'float' // any number
  | 'bool'
  | 'enum' // one of `values`, written as a bare word or a string
  | 'axes' // one int for every spatial axis, or a list with one per axis ([h, w] or [d, h, w]); stored as written
  | 'padding' // 'same' | 'valid' | int | a list per axis; stored as written
  | 'ints' // list of ints
  | 'value'; // a tensor: becomes an input of the node, not an attribute

export interface ArgSpec {
  readonly type: ArgType;
  /** Absent means the argument is required. */
  readonly default?: AttrValue;
  readonly values?: readonly string[];
  /** Inclusive lower bound for numbers (and for every element of axes/ints). */
  readonly min?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** Exclusive upper bound for floats (`dropout(rate)`: 1 would drop everything). */
  readonly below?: number;
  readonly doc: string;
}

/** Categories let generic analyses dispatch on sets instead of switching on kinds. */
export type Category =
  | 'elementwise' // shape and receptive field pass through unchanged (activations, batchnorm, dropout, ...)
  | 'spatial' // has a window rule (conv, pool, ...)
  | 'parametric' // owns weights
  | 'merge' // combines several inputs (add, concat)
  | 'trainingOnly' // identity at inference (dropout, feature random enhancement)
  | 'activation';

/** Problems a shape rule finds; the analysis turns them into diagnostics at the node's span. */
export interface ShapeContext {
  /** Readable names of the producers of each input, for messages ("e2 (maxpool)"). */
  readonly inputNames: readonly string[];
  error(code: GnCode, message: string, extra?: DiagnosticExtra & { inputs?: readonly number[] }): void;
  /** The network input sizes nearest the declared ones that pass every shape rule, in words (the `gnet sizes` solver); undefined when unknown. */
  inputSizes?(): string | undefined;
}

export type Init =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'normal'; readonly std: number; readonly mean?: number }
  /** Keras glorot_uniform with fans from a [kh, kw, in, out] / [in, out] shape. */
  | { readonly kind: 'glorotUniform' }
  | { readonly kind: 'heNormal' };

/** One weight tensor a block owns. Parameter counts, variable creation and reports all derive from this list. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly init: Init;
  /** Clamp to at least this value after every optimiser update (gauss σ ≥ 0.2). */
  readonly minValue?: number;
  /** Whether L2 weight decay applies; default: kernel-like weights (rank ≥ 2), not biases or norms. */
  readonly decays?: boolean;
}

/** What every trainer reads from META: a weight's own choice, else decay for kernel-like weights only. */
export const weightDecays = (spec: WeightSpec): boolean => spec.decays ?? spec.shape.length >= 2;

export type Pair = readonly [number, number];

/** One number per spatial axis: [height, width] on an image, [depth, height, width] on a volume. */
export type Axes = readonly number[];

/** How a block maps receptive fields (per spatial axis: size, jump, offset of the first window centre). */
export type RFRule =
  | { readonly kind: 'identity' }
  /** padBefore: padding added before the first row/column (TF 'same' puts the smaller half first). */
  | { readonly kind: 'window'; readonly kernel: Axes; readonly stride: Axes; readonly dilation: Axes; readonly padBefore: Axes }
  | { readonly kind: 'transpose'; readonly kernel: Axes; readonly stride: Axes; readonly padBefore: Axes }
  | { readonly kind: 'upsample'; readonly factor: Axes }
  | { readonly kind: 'crop'; readonly offset: Axes }
  /** Every output depends on the whole input (global pools, dense on a flattened map). */
  | { readonly kind: 'global' }
  /** Union of the inputs' fields (add, concat). */
  | { readonly kind: 'merge' };

export interface EmitContext {
  /** TypeScript expressions of the input tensors, in node input order. */
  readonly inputs: readonly string[];
  readonly inputShapes: readonly Shape[];
  readonly outShape: Shape;
  readonly attrs: Attrs;
  /** Expression of this node's weight `name` (as declared by params()). */
  weight(name: string): string;
  /** Expression of the boolean "training" flag. */
  readonly training: string;
  /** Expression of the runtime's per-call state (epoch, seed, ...) passed to runtime helpers that need it. */
  readonly state: string;
  /** A string literal, safely quoted, for node-specific keys. */
  readonly key: string;
}

/** How a gnet weight array maps to its PyTorch tensor (see the torch runtime's weights.py). */
export type TorchLayout = 'same' | 'hwio' | 'hwcm' | 'hwoi' | 'io';

export interface TorchEmitContext {
  readonly inputShapes: readonly Shape[];
  readonly outShape: Shape;
  readonly attrs: Attrs;
  /** A Python string literal of the node's name, the key of its random streams (dropout, fre). */
  readonly key: string;
}

/** One block as a PyTorch layer of the Python runtime package (imported as `gt`). */
export interface TorchEmit {
  /** Python expression constructing the layer, e.g. `gt.Conv2d(3, 8, (3, 3), …)`; it owns the block's weights. */
  readonly layer: string;
  /** Layout of each weight that is not stored as in gnet (default 'same'). */
  readonly layouts?: Readonly<Record<string, TorchLayout>>;
  /** The layer's attribute for each weight not named as in gnet (torch's own names: `kernel` → `weight`; never a Python keyword). */
  readonly names?: Readonly<Record<string, string>>;
  /** The layer is called with the forward state too (batch norm, dropout, fre). */
  readonly usesState?: boolean;
  /** The layer takes its inputs as one list (merges), so it compiles with TorchScript. */
  readonly listInput?: boolean;
  /** How many of the node's inputs the layer is called with (default all; crop's `like` only sets its size). */
  readonly arity?: number;
}

export interface BlockDef {
  readonly kind: string;
  readonly summary: string;
  readonly category: ReadonlySet<Category>;
  readonly args: Readonly<Record<string, ArgSpec>>;
  /** Argument names that may be given positionally, in order. */
  readonly positional: readonly string[];
  /** How many tensor inputs it takes (the incoming pipeline value plus tensor-valued arguments). */
  readonly inputs: { readonly min: number; readonly max: number };
  shape(inputs: readonly Shape[], attrs: Attrs, ctx: ShapeContext): Shape | null;
  params(inputs: readonly Shape[], attrs: Attrs, out: Shape): readonly WeightSpec[];
  /** Multiply-adds for one example. */
  macs(inputs: readonly Shape[], attrs: Attrs, out: Shape): number;
  receptiveField(inputs: readonly Shape[], attrs: Attrs): RFRule;
  /** A TypeScript expression computing the output from `ctx.inputs` (uses `tf` and `rt`). */
  emit(ctx: EmitContext): string;
  /** The same block for the PyTorch target: a layer of the Python runtime and its weight layouts. */
  emitTorch(ctx: TorchEmitContext): TorchEmit;
  /** Optional one-line detail for reports (lowering chosen, compression, ...). */
  describe?(inputs: readonly Shape[], attrs: Attrs, out: Shape): string;
}
