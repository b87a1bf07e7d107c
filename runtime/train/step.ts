import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/types.js';
import type { ForwardState } from '../types.js';
import { Diverged, firstNonFiniteWeight, nonFiniteProbe } from './divergence.js';
import type { LossFunction } from './losses.js';
import { predictedClasses } from './metrics.js';
import type { GeneratedModel, Weights } from './model.js';
import type { NamedVariable, TrainOptimizer } from './optimizers.js';
import { primaryTruth, type TaskInfo } from './targets.js';

/** Everything one optimiser step needs besides the batch. */
export interface StepContext {
  readonly module: GeneratedModel;
  readonly weights: Weights;
  readonly trainable: readonly NamedVariable[];
  readonly optimizer: TrainOptimizer;
  readonly loss: LossFunction;
  readonly task: TaskInfo;
}

export interface StepResult {
  readonly loss: number;
  /** Flat true and predicted classes of the primary output, for the confusion matrix. */
  readonly truth: Int32Array;
  readonly predicted: Int32Array;
}


export function batchTensors(batch: Batch): { x: tf.Tensor; y: tf.Tensor } {
  return { x: tf.tensor(batch.x, [...batch.xShape]), y: tf.tensor(batch.y, [...batch.yShape], 'int32') };
}

/**
 * One forward and backward pass and one update; every tensor it makes is freed before it resolves.
 * Values are read asynchronously, as WebGPU in Node allows no other reads. Throws Diverged when the
 * loss (before the update, which is then skipped) or any weight after it is NaN or infinite.
 */
export async function trainStep(ctx: StepContext, batch: Batch, state: ForwardState): Promise<StepResult> {
  const { module, weights, trainable, task } = ctx;
  const { x, y } = batchTensors(batch);
  let predicted: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const outputs = module.forward(weights, { [task.input.name]: x }, { training: true, state });
    predicted = tf.keep(predictedClasses(outputs[task.primary.name]!, task.primary.activation));
    return ctx.loss(outputs, y);
  }, trainable.map((t) => t.variable));
  const truth = primaryTruth(y, task.primary);
  try {
    const loss = (await value.data())[0]!;
    if (!Number.isFinite(loss)) throw new Diverged({ kind: 'loss', value: loss });
    // variableGrads keys gradients by the tfjs variable name and leaves out weights the loss does not
    // reach (an unsupervised output's branch); the optimiser wants every weight, by weight name.
    const byWeight = Object.fromEntries(trainable.map((t) => [t.name, grads[t.variable.name] ?? tf.zerosLike(t.variable)]));
    try {
      ctx.optimizer.apply(byWeight, trainable);
      module.constrain(weights);
    } finally {
      tf.dispose(Object.values(byWeight));
    }
    const names = module.meta.weights.map((w) => w.name);
    const probe = nonFiniteProbe(names.map((name) => weights[name]!));
    const [truthValues, predictedValues, probeValue] = await Promise.all([truth.data(), predicted!.data(), probe.data()]).finally(() => probe.dispose());
    if (probeValue[0] !== 0) throw new Diverged((await firstNonFiniteWeight(weights, names)) ?? { kind: 'loss', value: loss });
    return { loss, truth: truthValues as Int32Array, predicted: predictedValues as Int32Array };
  } finally {
    tf.dispose([x, y, value, truth, predicted!, ...Object.values(grads)]);
  }
}
