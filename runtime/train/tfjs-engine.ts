import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Dataset } from '../data/types.js';
import type { TrainConfig } from './config.js';
import type { EngineState, EvaluatedSplit, NamedArray, SplitOutcome, StepOrder, StepOutcome, TrainingEngine } from './engine.js';
import { evaluate } from './evaluate.js';
import { buildLoss } from './losses.js';
import { addToConfusion, emptyConfusion } from './metrics.js';
import type { ModelMeta, TrainableModel, Weights } from './model.js';
import { type NamedVariable, type TrainOptimizer, createOptimizer } from './optimizers.js';
import { trainStep, type StepContext } from './step.js';
import { describeTask } from './targets.js';

/** The splits an engine may be asked to evaluate; absent ones are empty. */
export interface EngineData {
  readonly train: Dataset;
  readonly validation?: Dataset;
  readonly test?: Dataset;
}

/**
 * The TensorFlow.js engine, on whichever tfjs backend is active (wasm, webgpu, cpu, tfjs-node): in
 * `gnet train` and in the page's training worker alike. Batches come from gnet's data loader in the
 * order (seed, epoch) fixes, so batch `index` of an epoch is the same on every engine.
 */
export function createTfjsEngine(model: TrainableModel, config: TrainConfig, data: EngineData, device: string, options: { readonly weights?: Weights } = {}): TrainingEngine {
  const { module } = model;
  const task = describeTask(module.meta, model.info.outputs, config.loss);
  const loss = buildLoss(config.loss, task);
  let live: { weights: Weights; trainable: NamedVariable[]; optimizer: TrainOptimizer; ctx: StepContext } | undefined;
  let cursor: { epoch: number; next: number; batches: Iterator<Batch> } | undefined;

  const started = () => {
    if (!live) throw new Error('the tfjs engine was used before start() or after close()');
    return live;
  };

  /** Batch `index` of `epoch`, walking the epoch's iterator forward (a resumed epoch skips what it did). */
  const batchAt = (epoch: number, index: number): Batch => {
    if (!cursor || cursor.epoch !== epoch || cursor.next > index) {
      cursor = { epoch, next: 0, batches: data.train.batches(config.batch, { shuffle: true, seed: config.seed, epoch, augment: config.augment }) };
    }
    for (;;) {
      const next = cursor.batches.next();
      if (next.done) throw new Error(`epoch ${epoch + 1} has no batch ${index + 1}`);
      if (cursor.next++ === index) return next.value;
    }
  };

  const step = async (at: StepOrder): Promise<StepOutcome> => {
    const { ctx } = started();
    ctx.optimizer.setLearningRate(at.lr);
    const batch = batchAt(at.epoch, at.index);
    const result = await trainStep(ctx, batch, { epoch: at.epoch, seed: config.seed, step: at.step });
    const confusion = emptyConfusion(task.classes);
    addToConfusion(confusion, result.truth, result.predicted);
    const images = batch.xShape[0];
    return { lossSum: result.loss * images, images, counts: confusion.counts };
  };

  return {
    device,
    async start(from) {
      // Given weights (the page's current model) are trained in place and stay the owner's after close.
      const weights = options.weights ?? module.createWeights(config.seed);
      const trainable = module.meta.weights
        .filter((w) => w.trainable)
        .map((w) => ({ name: w.name, variable: weights[w.name]!, decays: w.decays === true }));
      const optimizer = createOptimizer(config.optimizer, config);
      live = { weights, trainable, optimizer, ctx: { module, weights, trainable, optimizer, loss, task } };
      if (from) await restore(from, weights, optimizer, trainable);
    },
    async steps(orders: readonly StepOrder[]): Promise<StepOutcome[]> {
      const outcomes: StepOutcome[] = [];
      for (const at of orders) outcomes.push(await step(at));
      return outcomes;
    },
    async evaluate(split: EvaluatedSplit): Promise<SplitOutcome> {
      const { weights } = started();
      const dataset = split === 'test' ? data.test : data[split];
      if (!dataset) throw new Error(`no ${split} split was given to the engine`);
      const result = await evaluate({ module, weights, loss, task, metrics: config.metrics, batch: config.batch }, dataset);
      return { lossSum: result.images === 0 ? 0 : result.loss * result.images, images: result.images, counts: result.confusion.counts, seconds: result.seconds };
    },
    state(): Promise<EngineState> {
      const { weights, optimizer, trainable } = started();
      return stateOf(module.meta, weights, optimizer, trainable);
    },
    async close() {
      if (!live) return;
      if (!options.weights) tf.dispose(Object.values(live.weights));
      live.optimizer.dispose();
      live = undefined;
      cursor = undefined;
    },
  };
}

/** Weights (META order) and optimiser slots of tfjs variables, as plain arrays. */
export async function stateOf(meta: ModelMeta, weights: Weights, optimizer: TrainOptimizer, trainable: readonly NamedVariable[]): Promise<EngineState> {
  const slots = await optimizer.saveState(trainable);
  try {
    return {
      weights: await Promise.all(meta.weights.map((w) => toArray(w.name, weights[w.name]!))),
      slots: await Promise.all(slots.map((s) => toArray(s.name, s.tensor))),
      learningRate: optimizer.learningRate,
    };
  } finally {
    tf.dispose(slots.map((s) => s.tensor));
  }
}

async function toArray(name: string, tensor: tf.Tensor): Promise<NamedArray> {
  const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
  const values = (await tensor.data()) as Float32Array | Int32Array;
  return { name, shape: tensor.shape, dtype, values: dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values) };
}

/** A tfjs tensor of a state array (the caller disposes it). */
export const fromArray = (a: NamedArray): tf.Tensor => tf.tensor(a.values, [...a.shape], a.dtype);

/** Weights of a checkpoint or engine state as tfjs variables of `module` (createWeights, then assign). */
export function weightsFromState(model: Pick<TrainableModel, 'module'>, state: Pick<EngineState, 'weights'>, seed = 0): Weights {
  const weights = model.module.createWeights(seed);
  assignWeights(weights, state.weights);
  return weights;
}

function assignWeights(weights: Weights, arrays: readonly NamedArray[]): void {
  for (const array of arrays) {
    const tensor = fromArray(array);
    weights[array.name]!.assign(tensor);
    tensor.dispose();
  }
}

async function restore(state: EngineState, weights: Weights, optimizer: TrainOptimizer, trainable: readonly NamedVariable[]): Promise<void> {
  assignWeights(weights, state.weights);
  optimizer.setLearningRate(state.learningRate);
  await optimizer.loadState(state.slots.map((s) => ({ name: s.name, tensor: fromArray(s) })), trainable);
}
