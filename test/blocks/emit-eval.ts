/**
 * Emitted block expressions evaluated on TensorFlow.js: a shared helper of the emit tests (images
 * and volumes).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ts } from 'ts-morph';
import * as rt from '../../runtime/index.js';
import type { Shape } from '../../compiler/ir/ir.js';
import type { WeightSpec } from '../../compiler/blocks/block.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';
import { emitContext, runBlock, type Args } from './harness.js';

export const STATE: rt.ForwardState = { epoch: 0, seed: 1, step: 0 };

export function weightTensor(spec: WeightSpec): tf.Variable {
  const { init, shape } = spec;
  const dims = [...shape];
  switch (init.kind) {
    case 'zeros':
      return tf.variable(tf.zeros(dims));
    case 'ones':
      return tf.variable(tf.ones(dims));
    case 'constant':
      return tf.variable(tf.fill(dims, init.value));
    case 'uniform':
      return tf.variable(tf.randomUniform(dims, init.min, init.max, 'float32', 7));
    default:
      return tf.variable(tf.randomNormal(dims, 0, 0.1, 'float32', 7));
  }
}

export type Emitted = (tf: unknown, rt: unknown, inputs: readonly tf.Tensor[], w: Record<string, tf.Tensor>, training: boolean, state: rt.ForwardState) => tf.Tensor;

/** The emitted TypeScript expression as a function of what generated modules have in scope. */
export function compile(expr: string): Emitted {
  const js = ts.transpile(`function run(tf, rt, inputs, w, training, state) { return (${expr}); }`, { target: ts.ScriptTarget.ES2022 });
  return new Function(`${js}; return run;`)() as Emitted;
}

/** Runs the emitted expression on a batch of 2 and returns the result. */
export function evaluate(kind: BlockKind, args: Args, inputs: readonly Shape[], values?: readonly tf.Tensor[]): tf.Tensor {
  const ctx = emitContext(kind, args, inputs);
  const run = runBlock(kind, args, inputs);
  const w = Object.fromEntries(run.weights.map((spec) => [spec.name, weightTensor(spec)]));
  const xs = values ?? inputs.map((s) => tf.randomNormal([2, ...s], 0, 1, 'float32', 3));
  return compile(BLOCKS[kind].emit(ctx))(tf, rt, xs, w, false, STATE);
}

