import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape, Task } from '../data/types.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import type { LossTerm } from './config.js';
import type { ModelMeta, OutputInfo } from './model.js';

/**
 * What the network's outputs say about the task, checked against the loss: one image input, a
 * primary output of [C] (classification) or [H, W, C] (segmentation), C channels read as C classes
 * (one channel: a binary task, 2 classes).
 */
export interface TaskInfo {
  readonly task: Task;
  readonly classes: number;
  readonly input: { readonly name: string; readonly shape: ImageShape };
  /** The output the metrics and predictions use: the first loss term's. */
  readonly primary: OutputInfo;
  /** The output of each loss term, in order. */
  readonly termOutputs: readonly OutputInfo[];
}

const mismatch = (network: string, message: string) => trainError(TRAIN_ERRORS.outputMismatch, `network ${network}: ${message}`);

export const classesOf = (output: OutputInfo): number => Math.max(2, output.shape[output.shape.length - 1]!);

export function describeTask(meta: ModelMeta, outputs: readonly OutputInfo[], loss: readonly LossTerm[]): TaskInfo {
  const network = meta.network;
  const [input, ...extra] = meta.inputs;
  if (!input || extra.length > 0 || input.shape.length !== 3) {
    const got = meta.inputs.map((i) => `${i.name} [${i.shape.join('×')}]`).join(', ') || 'none';
    throw mismatch(network, `gnet train feeds one H×W×C image input, but the inputs are ${got}; give the network a single \`input image: H x W x C\``);
  }
  const termOutputs = loss.map((term) => termOutput(network, outputs, term));
  const primary = termOutputs[0]!;
  if (primary.shape.length !== 1 && primary.shape.length !== 3) {
    throw mismatch(network, `output ${primary.name} has shape [${primary.shape.join('×')}]; a loss needs [classes] (classification) or [H×W×classes] (segmentation)`);
  }
  const classes = classesOf(primary);
  const inputShape = input.shape as unknown as ImageShape;
  termOutputs.forEach((output, i) => checkTerm(network, loss[i]!, output, primary, inputShape));
  return { task: primary.shape.length === 1 ? 'classification' : 'segmentation', classes, input: { name: input.name, shape: inputShape }, primary, termOutputs };
}

function termOutput(network: string, outputs: readonly OutputInfo[], term: LossTerm): OutputInfo {
  const output = term.output === null ? outputs[0] : outputs.find((o) => o.name === term.output);
  if (!output) {
    throw mismatch(network, `the ${term.kind} loss names output \`${term.output}\`, but the outputs are ${outputs.map((o) => o.name).join(', ')}; use one of those`);
  }
  return output;
}

function checkTerm(network: string, term: LossTerm, output: OutputInfo, primary: OutputInfo, input: ImageShape): void {
  const channels = output.shape[output.shape.length - 1]!;
  const shape = `[${output.shape.join('×')}]`;
  if (output.shape.length !== primary.shape.length || classesOf(output) !== classesOf(primary)) {
    throw mismatch(network, `output ${output.name} ${shape} does not match output ${primary.name} [${primary.shape.join('×')}]; every loss term needs the same task and number of classes`);
  }
  if (term.kind === 'crossentropy' && (channels < 2 || output.activation === 'sigmoid')) {
    throw mismatch(network, `crossentropy needs ≥ 2 class channels from softmax or logits, but output ${output.name} ${shape} ends in ${output.activation === 'sigmoid' ? 'sigmoid' : 'one channel'}; use binary_crossentropy, or end the output in ${'`'}conv(classes) -> softmax${'`'}`);
  }
  if (output.shape.length === 3 && (output.shape[0]! > input[0] || output.shape[1]! > input[1])) {
    throw mismatch(network, `output ${output.name} ${shape} is larger than the input ${input.join('×')}; a segmentation output must not exceed the image it labels`);
  }
}

/**
 * The target for an output of shape [N, …, C']: one-hot classes (C' = classes) or the binary label
 * (C' = 1). Segmentation masks are fitted to the output's size: the primary output's by a centre
 * crop (valid-padded networks), a smaller auxiliary output's (deep supervision) by nearest resizing.
 */
export function targetFor(labels: tf.Tensor, output: OutputInfo, classes: number, primary: boolean): tf.Tensor {
  return tf.tidy(() => {
    const channels = output.shape[output.shape.length - 1]!;
    const encoded = channels === 1 ? tf.expandDims(tf.cast(labels, 'float32'), -1) : tf.oneHot(tf.cast(labels, 'int32'), classes);
    if (output.shape.length === 1) return encoded;
    const [h, w] = output.shape as [number, number, number];
    const [, H, W] = encoded.shape as [number, number, number, number];
    if (h === H && w === W) return encoded;
    if (primary) return tf.slice(encoded, [0, Math.floor((H - h) / 2), Math.floor((W - w) / 2), 0], [-1, h, w, -1]);
    return tf.image.resizeNearestNeighbor(encoded as tf.Tensor4D, [h, w]);
  });
}

/** The class labels the primary output is compared with (masks centre-cropped to its size), flat. */
export function primaryTruth(labels: tf.Tensor, primary: OutputInfo): tf.Tensor1D {
  return tf.tidy(() => {
    if (primary.shape.length === 1) return tf.reshape(labels, [-1]) as tf.Tensor1D;
    const [h, w] = primary.shape as [number, number, number];
    const [, H, W] = labels.shape as [number, number, number];
    return tf.reshape(tf.slice(labels, [0, Math.floor((H - h) / 2), Math.floor((W - w) / 2)], [-1, h, w]), [-1]) as tf.Tensor1D;
  });
}
