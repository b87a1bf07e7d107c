import type { Span } from '../diagnostics/diagnostic.js';

/** Per-example shape, batch implied: [H, W, C] for feature maps, [N] for vectors. */
export type Shape = readonly number[];

export type AttrValue = number | string | boolean | readonly number[] | null;
export type Attrs = Readonly<Record<string, AttrValue>>;

/** One small immutable IR node (tinygrad UOp style). Nodes are stored in topological order. */
export interface IRNode {
  readonly id: number;
  /** Block kind (a key of BLOCKS) or 'input'. */
  readonly op: string;
  /** Unique readable name, e.g. "e1.conv_0". */
  readonly name: string;
  /** Block-call frames from the network down to this node, e.g. ["e1", "stage", "conv_0"]; used for collapsing reports. */
  readonly path: readonly string[];
  /** Every argument of the block's schema, defaults applied, values resolved. Value-typed arguments are not here: they are inputs. */
  readonly attrs: Attrs;
  /** Producer node ids, in the order the block expects them. */
  readonly inputs: readonly number[];
  /** Weight-sharing key: nodes with the same key share one set of variables (counted once). */
  readonly weights: string;
  readonly span: Span;
  /** The user-block calls this node was expanded from, outermost first; absent outside user blocks. */
  readonly calls?: readonly BlockCall[];
}

/** One expansion of a user block: where it was called and the name path of the frame it opened. */
export interface BlockCall {
  readonly span: Span;
  readonly frame: readonly string[];
}

export interface IRInput {
  readonly name: string;
  readonly node: number;
  readonly shape: Shape;
}

export interface IROutput {
  readonly name: string;
  readonly node: number;
  readonly span: Span;
}

export type BudgetMetric = 'params' | 'trainable' | 'macs' | 'memory' | 'receptive';

export interface Budget {
  readonly metric: BudgetMetric;
  readonly op: '<=' | '>=' | '<' | '>';
  readonly limit: number;
  /** Batch size for 'memory' (activation bytes at this batch); 1 otherwise. */
  readonly batch: number;
  readonly span: Span;
}

/** A value of the training section: `adam(lr = 0.01)` becomes `{ name: 'adam', lr: 0.01 }`. */
export type TrainValue = number | string | boolean | readonly TrainValue[] | { readonly [key: string]: TrainValue };

/** The optional training section, values as written (keys validated by the training layer). */
export type TrainingSection = Readonly<Record<string, TrainValue>>;

export interface IRGraph {
  readonly name: string;
  readonly doc: string;
  readonly file: string;
  readonly nodes: readonly IRNode[];
  readonly inputs: readonly IRInput[];
  readonly outputs: readonly IROutput[];
  readonly budgets: readonly Budget[];
  readonly training: TrainingSection | null;
  readonly span: Span;
}
