import * as tf from '@tensorflow/tfjs-core';
import type { MetricName } from './config.js';
import type { Activation } from './model.js';

/**
 * Metrics from a confusion matrix summed over an epoch (row = true class, column = predicted),
 * so per-batch results never need averaging and a resumed epoch carries its counts on.
 */
export interface Confusion {
  readonly classes: number;
  /** classes × classes counts, row-major. */
  readonly counts: number[];
}

/** Per-class values are null where a class is in neither the truth nor the prediction. */
export type MetricValue = number | (number | null)[];
export type MetricValues = Partial<Record<MetricName, MetricValue>>;

export const emptyConfusion = (classes: number): Confusion => ({ classes, counts: new Array<number>(classes * classes).fill(0) });

/** Adds one batch's (truth, prediction) pairs; both flat, one entry per image or per pixel. */
export function addToConfusion(confusion: Confusion, truth: ArrayLike<number>, predicted: ArrayLike<number>): void {
  const { classes, counts } = confusion;
  for (let i = 0; i < truth.length; i++) counts[truth[i]! * classes + predicted[i]!]! += 1;
}

/**
 * The predicted class of every image (classification) or pixel (segmentation), flat: argmax over
 * the channels, or for one channel a threshold at 0.5 (probabilities) or 0 (logits).
 */
export function predictedClasses(output: tf.Tensor, activation: Activation): tf.Tensor1D {
  return tf.tidy(() => {
    const channels = output.shape[output.rank - 1]!;
    const classes = channels === 1 ? tf.cast(tf.greater(output, activation === 'none' ? 0 : 0.5), 'int32') : tf.argMax(output, -1);
    return tf.reshape(classes, [-1]) as tf.Tensor1D;
  });
}

/**
 * accuracy: share of correct images or pixels. iou: per-class TP / (TP + FP + FN); miou: their
 * mean over the classes that occur. dice: mean 2TP / (2TP + FP + FN) over the foreground classes
 * (every class but 0) for segmentation, over every class for classification.
 */
export function computeMetrics(names: readonly MetricName[], confusion: Confusion, segmentation: boolean): MetricValues {
  const perClass = classStats(confusion);
  const iou = perClass.map(({ tp, fp, fn }) => ratio(tp, tp + fp + fn));
  const dice = perClass.map(({ tp, fp, fn }) => ratio(2 * tp, 2 * tp + fp + fn));
  const values: MetricValues = {};
  for (const name of names) {
    if (name === 'accuracy') values.accuracy = accuracy(confusion);
    if (name === 'iou') values.iou = iou;
    if (name === 'miou') values.miou = mean(iou);
    if (name === 'dice') values.dice = mean(segmentation && confusion.classes > 1 ? dice.slice(1) : dice);
  }
  return values;
}

export function accuracy({ classes, counts }: Confusion): number {
  let correct = 0;
  for (let c = 0; c < classes; c++) correct += counts[c * classes + c]!;
  const total = counts.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : correct / total;
}

function classStats({ classes, counts }: Confusion): { tp: number; fp: number; fn: number }[] {
  return Array.from({ length: classes }, (_, c) => {
    let row = 0;
    let column = 0;
    for (let k = 0; k < classes; k++) {
      row += counts[c * classes + k]!;
      column += counts[k * classes + c]!;
    }
    const tp = counts[c * classes + c]!;
    return { tp, fp: column - tp, fn: row - tp };
  });
}

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

function mean(values: readonly (number | null)[]): number {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length === 0 ? 0 : defined.reduce((a, b) => a + b, 0) / defined.length;
}

/** The one number the progress bar and the report's headline show: the first scalar metric. */
export function headlineMetric(values: MetricValues): { name: MetricName; value: number } | undefined {
  for (const [name, value] of Object.entries(values)) if (typeof value === 'number') return { name: name as MetricName, value };
  return undefined;
}
