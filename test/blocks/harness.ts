/**
 * One harness for every block test (Keras run_layer_test style): build attributes from the arguments
 * a user would write, run the shape rule with a recording context, and derive everything a report shows.
 */
import type { AttrValue, Attrs, Shape } from '../../compiler/ir/ir.js';
import type { EmitContext, RFRule, ShapeContext, WeightSpec } from '../../compiler/blocks/block.js';
import { attrsWithDefaults } from '../../compiler/blocks/arg-values.js';
import { product } from '../../compiler/blocks/arith.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';

export type Args = Readonly<Record<string, AttrValue>>;

export interface Reported {
  readonly code: string;
  readonly message: string;
  readonly help?: string;
  readonly notes?: readonly string[];
  readonly inputs?: readonly number[];
}

/** Attributes as the elaborator would store them; a bad argument in a test row is a test bug. */
export function attrsFor(kind: BlockKind, args: Args = {}): Attrs {
  const { attrs, problems } = attrsWithDefaults(BLOCKS[kind], args);
  if (problems.length > 0) throw new Error(`bad test row: ${problems.join('; ')}`);
  return attrs;
}

export function recordingContext(inputNames: readonly string[]): ShapeContext & { readonly reported: Reported[] } {
  const reported: Reported[] = [];
  return {
    inputNames,
    reported,
    error(code, message, extra = {}) {
      reported.push({ code, message, help: extra.help, notes: extra.notes, inputs: extra.inputs });
    },
  };
}

export interface BlockRun {
  readonly attrs: Attrs;
  readonly out: Shape | null;
  readonly reported: readonly Reported[];
  readonly weights: readonly WeightSpec[];
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  /** Null when the shape rule failed. */
  readonly rf: RFRule | null;
  readonly describe?: string;
}

const count = (ws: readonly WeightSpec[], trainable: boolean) => ws.filter((w) => w.trainable === trainable).reduce((s, w) => s + product(w.shape), 0);

export function runBlock(kind: BlockKind, args: Args, inputs: readonly Shape[]): BlockRun {
  const def = BLOCKS[kind];
  const attrs = attrsFor(kind, args);
  const ctx = recordingContext(inputs.map((_, i) => `in${i}`));
  const out = def.shape(inputs, attrs, ctx);
  if (out === null) return { attrs, out, reported: ctx.reported, weights: [], trainable: 0, nonTrainable: 0, macs: 0, rf: null };
  const weights = def.params(inputs, attrs, out);
  return {
    attrs,
    out,
    reported: ctx.reported,
    rf: def.receptiveField(inputs, attrs),
    weights,
    trainable: count(weights, true),
    nonTrainable: count(weights, false),
    macs: def.macs(inputs, attrs, out),
    describe: def.describe?.(inputs, attrs, out),
  };
}

/** An EmitContext naming inputs `inputs[i]` and weights `w.name`, for parsing and evaluating emitted code. */
export function emitContext(kind: BlockKind, args: Args, inputs: readonly Shape[], inputExpr = (i: number) => `inputs[${i}]`): EmitContext {
  const run = runBlock(kind, args, inputs);
  if (run.out === null) throw new Error(`bad test row: ${JSON.stringify(run.reported)}`);
  return {
    inputs: inputs.map((_, i) => inputExpr(i)),
    inputShapes: inputs,
    outShape: run.out,
    attrs: run.attrs,
    weight: (name) => `w.${name}`,
    training: 'training',
    state: 'state',
    key: JSON.stringify('node-1'),
  };
}

export interface Stage {
  readonly kind: BlockKind;
  readonly args?: Args;
}

/** Runs a straight pipeline of blocks from one input shape, summing what a report would total. */
export function runChain(input: Shape, stages: readonly Stage[]): { out: Shape; trainable: number; nonTrainable: number; macs: number } {
  let total = { out: input, trainable: 0, nonTrainable: 0, macs: 0 };
  for (const stage of stages) {
    const run = runBlock(stage.kind, stage.args ?? {}, [total.out]);
    if (run.out === null) throw new Error(`${stage.kind} failed: ${JSON.stringify(run.reported)}`);
    total = { out: run.out, trainable: total.trainable + run.trainable, nonTrainable: total.nonTrainable + run.nonTrainable, macs: total.macs + run.macs };
  }
  return total;
}
