import * as tf from '@tensorflow/tfjs-core';
import type { LossKind, LossTerm } from './config.js';
import type { Activation } from './model.js';
import { targetFor, type TaskInfo } from './targets.js';

/** Keras' clip for probabilities before a logarithm. */
const EPSILON = 1e-7;

/**
 * One loss on a prediction [N, …, C] and a target of the same shape (one-hot classes, or the binary
 * label when C = 1), averaged to a scalar. Probabilities come from softmax or sigmoid outputs;
 * logits (activation 'none') take the numerically stable forms.
 */
type Loss = (prediction: tf.Tensor, target: tf.Tensor, activation: Activation, term: LossTerm, segmentation: boolean) => tf.Scalar;

/** Mean over images (and pixels) of −Σ_c y_c log p_c. */
export const crossentropy: Loss = (prediction, target, activation) => {
  const logProbabilities = activation === 'none' ? tf.logSoftmax(prediction) : tf.log(tf.clipByValue(prediction, EPSILON, 1 - EPSILON));
  return tf.neg(tf.mean(tf.sum(tf.mul(target, logProbabilities), -1))) as tf.Scalar;
};

/** Mean over every element of −(y log p + (1 − y) log(1 − p)). */
export const binaryCrossentropy: Loss = (prediction, target, activation) => {
  if (activation === 'none') {
    // max(x, 0) − x·y + log(1 + e^−|x|): the logit form that never overflows.
    const x = prediction;
    return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))) as tf.Scalar;
  }
  const p = tf.clipByValue(prediction, EPSILON, 1 - EPSILON);
  return tf.neg(tf.mean(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))))) as tf.Scalar;
};

/**
 * Soft Dice loss 1 − mean_c (2 Σ p y + s) / (Σ p + Σ y + s), sums over the batch and pixels, averaged
 * over the foreground classes (every class but 0) for segmentation with ≥ 2 channels, else over all.
 */
export const dice: Loss = (prediction, target, activation, term, segmentation) => {
  const probabilities = activation !== 'none' ? prediction : prediction.shape[prediction.rank - 1] === 1 ? tf.sigmoid(prediction) : tf.softmax(prediction);
  const channels = probabilities.shape[probabilities.rank - 1]!;
  const axes = Array.from({ length: probabilities.rank - 1 }, (_, i) => i);
  const overlap = tf.sum(tf.mul(probabilities, target), axes);
  const total = tf.add(tf.sum(probabilities, axes), tf.sum(target, axes));
  const perClass = tf.div(tf.add(tf.mul(overlap, 2), term.smooth), tf.add(total, term.smooth));
  const counted = segmentation && channels > 1 ? tf.slice(perClass, [1], [channels - 1]) : perClass;
  return tf.sub(1, tf.mean(counted)) as tf.Scalar;
};

export const LOSS_FUNCTIONS: Readonly<Record<LossKind, Loss>> = { crossentropy, binary_crossentropy: binaryCrossentropy, dice };

/** The scalar the optimiser minimises: Σ weight · loss over the terms (deep supervision is a term on another output). */
export type LossFunction = (outputs: Readonly<Record<string, tf.Tensor>>, labels: tf.Tensor) => tf.Scalar;

export function buildLoss(terms: readonly LossTerm[], task: TaskInfo): LossFunction {
  const segmentation = task.task === 'segmentation';
  return (outputs, labels) =>
    tf.tidy(() => {
      const parts = terms.map((term, i) => {
        const output = task.termOutputs[i]!;
        const target = targetFor(labels, output, task.classes, output === task.primary);
        return tf.mul(LOSS_FUNCTIONS[term.kind](outputs[output.name]!, target, output.activation, term, segmentation), term.weight);
      });
      return tf.addN(parts) as tf.Scalar;
    });
}
