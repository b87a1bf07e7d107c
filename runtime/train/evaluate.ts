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
export function evaluate(options: EvaluateOptions, dataset: Dataset): Evaluation {
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
    const n = batch.xShape[0];
    lossSum += loss.dataSync()[0]! * n;
    images += n;
    addToConfusion(confusion, truth.dataSync(), predicted.dataSync());
    tf.dispose([loss, truth, predicted]);
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

/** The primary output for one NHWC batch in inference mode, as a plain array [N, …, C]. */
export function predictBatch(module: GeneratedModel, weights: Weights, task: TaskInfo, x: Float32Array, shape: readonly [number, number, number, number]): { values: Float32Array; shape: number[] } {
  const output = tf.tidy(() => module.forward(weights, { [task.input.name]: tf.tensor4d(x, [...shape]) }, { training: false })[task.primary.name]!);
  const values = output.dataSync() as Float32Array;
  const outShape = output.shape;
  output.dispose();
  return { values, shape: outShape };
}
