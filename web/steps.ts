/**
 * What the web page and the cross-backend tests compute with a generated model, on whichever
 * backend is active: a synthetic batch from a seed, outputs and gradients of a squared-error loss,
 * and the losses of a few Adam steps. Browser-safe, and reads tensors only asynchronously (WebGPU
 * in Node cannot read synchronously).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GeneratedMeta, GeneratedModule, GeneratedWeights } from '../runtime/generated-module.js';

/** Reproducible values in [-1, 1) (xorshift32), the same in every JavaScript engine. */
export function sample(shape: readonly number[], seed: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** The page's weight and batch seeds and batch size, which the cross-backend tests reproduce on cpu. */
export const PAGE_SEEDS = { weights: 3, batch: 5, batchSize: 2 } as const;

export interface Batch {
  readonly inputs: Record<string, tf.Tensor>;
  readonly targets: Record<string, tf.Tensor>;
}

/** Inputs and regression targets for every input and output of `meta`, `size` examples each. */
export function syntheticBatch(meta: GeneratedMeta, size: number, seed: number): Batch {
  const tensor = (shape: readonly number[], k: number) => tf.tensor(sample([size, ...shape], seed * 1000 + k), [size, ...shape]);
  return {
    inputs: Object.fromEntries(meta.inputs.map((input, k) => [input.name, tensor(input.shape, k)])),
    targets: Object.fromEntries(meta.outputs.map((output, k) => [output.name, tensor(output.shape, 100 + k)])),
  };
}

/** Mean squared error summed over the outputs. */
export function squaredError(outputs: Record<string, tf.Tensor>, targets: Record<string, tf.Tensor>): tf.Scalar {
  return tf.addN(Object.entries(targets).map(([name, target]) => tf.losses.meanSquaredError(target, outputs[name]!))) as tf.Scalar;
}

const STATE = { epoch: 0, seed: 7 } as const;

/** Trainable weights by their weight name (variableGrads keys gradients by the tfjs variable name). */
function trainable(module: GeneratedModule, weights: GeneratedWeights): [string, tf.Variable][] {
  return module.meta.weights.filter((w) => w.trainable).map((w) => [w.name, weights[w.name]!]);
}

export interface Pass {
  readonly outputs: Record<string, Float32Array>;
  readonly gradients: Record<string, Float32Array>;
}

/** One training-mode forward pass: every output, and the loss's gradient for every trainable weight. */
export async function outputsAndGradients(module: GeneratedModule, weights: GeneratedWeights, batch: Batch): Promise<Pass> {
  const named = trainable(module, weights);
  let outputs: Record<string, tf.Tensor> = {};
  const { value, grads } = tf.variableGrads(() => {
    outputs = module.forward(weights, batch.inputs, { training: true, state: { ...STATE, step: 0 } });
    Object.values(outputs).forEach((t) => tf.keep(t));
    return squaredError(outputs, batch.targets);
  }, named.map(([, variable]) => variable));
  const read = async (entries: [string, tf.Tensor | undefined][]) =>
    Object.fromEntries(await Promise.all(entries.map(async ([name, t]) => [name, t === undefined ? new Float32Array(0) : Float32Array.from(await t.data())] as const)));
  const pass = { outputs: await read(Object.entries(outputs)), gradients: await read(named.map(([name, v]) => [name, grads[v.name]])) };
  tf.dispose([value, outputs, grads]);
  return pass;
}

export type OnLoss = (step: number, loss: number) => void;

/** The loss before each of `steps` Adam updates on the same batch (σ constraints applied after each). */
export async function adamLosses(module: GeneratedModule, weights: GeneratedWeights, batch: Batch, steps: number, onLoss: OnLoss = () => undefined, learningRate = 0.01): Promise<number[]> {
  const optimizer = tf.train.adam(learningRate);
  const variables = trainable(module, weights).map(([, variable]) => variable);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => squaredError(module.forward(weights, batch.inputs, { training: true, state: { ...STATE, step } }), batch.targets), true, variables)!;
    module.constrain(weights);
    losses.push((await loss.data())[0]!);
    loss.dispose();
    onLoss(step, losses[step]!);
  }
  optimizer.dispose();
  return losses;
}
