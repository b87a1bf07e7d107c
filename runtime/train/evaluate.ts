import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/types.js';
import type { MetricName } from './config.js';
import type { LossFunction } from './losses.js';
import { addToConfusion, computeMetrics, emptyConfusion, predictedClasses, type Confusion, type MetricValues } from './metrics.js';
import type { GeneratedModel, Weights } from './model.js';
import { batchTensors } from './step.js';
import { primaryTruth, type TaskInfo } from './targets.js';

export interface Evaluation {
  /** Mean loss per image (batch losses weighted by batch size). */
  readonly loss: number;
  readonly metrics: MetricValues;
  readonly confusion: Confusion;
  readonly images: number;
  readonly seconds: number;
}

export interface EvaluateOptions {
  readonly module: GeneratedModel;
  readonly weights: Weights;
  readonly loss: LossFunction;
  readonly task: TaskInfo;
  readonly metrics: readonly MetricName[];
  readonly batch: number;
}

/** Inference mode over a whole dataset (batchnorm's moving statistics, no dropout or fre), in storage order. */
export async function evaluate(options: EvaluateOptions, dataset: Dataset): Promise<Evaluation> {
  const { module, weights, task } = options;
  const started = performance.now();
  const confusion = emptyConfusion(task.classes);
  let lossSum = 0;
  let images = 0;
  for (const batch of dataset.batches(options.batch)) {
    const { loss, truth, predicted } = tf.tidy(() => {
      const { x, y } = batchTensors(batch);
      const outputs = module.forward(weights, { [task.input.name]: x }, { training: false });
      return {
        loss: options.loss(outputs, y),
        truth: primaryTruth(y, task.primary),
        predicted: predictedClasses(outputs[task.primary.name]!, task.primary.activation),
      };
    });
    try {
      const [lossValue, truthValues, predictedValues] = await Promise.all([loss.data(), truth.data(), predicted.data()]);
      const n = batch.xShape[0];
      lossSum += lossValue[0]! * n;
      images += n;
      addToConfusion(confusion, truthValues, predictedValues);
    } finally {
      tf.dispose([loss, truth, predicted]);
    }
  }
  const segmentation = task.task === 'segmentation';
  return {
    loss: images === 0 ? NaN : lossSum / images,
    metrics: computeMetrics(options.metrics, confusion, segmentation),
    confusion,
    images,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The primary output for one NHWC (or NDHWC) batch in inference mode, as a plain array [N, …, C]. */
export async function predictBatch(module: GeneratedModel, weights: Weights, task: TaskInfo, x: Float32Array, shape: readonly number[]): Promise<{ values: Float32Array; shape: number[] }> {
  const output = tf.tidy(() => module.forward(weights, { [task.input.name]: tf.tensor(x, [...shape]) }, { training: false })[task.primary.name]!);
  try {
    return { values: (await output.data()) as Float32Array, shape: output.shape };
  } finally {
    output.dispose();
  }
}
