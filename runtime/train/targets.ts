import * as tf from '@tensorflow/tfjs-core';
import type { InputShape, Task } from '../data/types.js';
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
  readonly input: { readonly name: string; readonly shape: InputShape };
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
  if (!input || extra.length > 0 || (input.shape.length !== 3 && input.shape.length !== 4)) {
    const got = meta.inputs.map((i) => `${i.name} [${i.shape.join('×')}]`).join(', ') || 'none';
    throw mismatch(network, `gnet train feeds one H×W×C image input (or one D×H×W×C volume patch), but the inputs are ${got}; give the network a single \`input image: H x W x C\``);
  }
  const termOutputs = loss.map((term) => termOutput(network, outputs, term));
  const primary = termOutputs[0]!;
  if (primary.shape.length !== 1 && primary.shape.length !== input.shape.length) {
    const map = input.shape.length === 4 ? 'D×H×W×classes' : 'H×W×classes';
    throw mismatch(network, `output ${primary.name} has shape [${primary.shape.join('×')}]; a loss needs [classes] (classification) or [${map}] (segmentation)`);
  }
  const classes = classesOf(primary);
  const inputShape = input.shape as unknown as InputShape;
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

function checkTerm(network: string, term: LossTerm, output: OutputInfo, primary: OutputInfo, input: InputShape): void {
  const channels = output.shape[output.shape.length - 1]!;
  const shape = `[${output.shape.join('×')}]`;
  if (output.shape.length !== primary.shape.length || classesOf(output) !== classesOf(primary)) {
    throw mismatch(network, `output ${output.name} ${shape} does not match output ${primary.name} [${primary.shape.join('×')}]; every loss term needs the same task and number of classes`);
  }
  if (term.kind === 'crossentropy' && (channels < 2 || output.activation === 'sigmoid')) {
    throw mismatch(network, `crossentropy needs ≥ 2 class channels from softmax or logits, but output ${output.name} ${shape} ends in ${output.activation === 'sigmoid' ? 'sigmoid' : 'one channel'}; use binary_crossentropy, or end the output in ${'`'}conv(classes) -> softmax${'`'}`);
  }
  if (output.shape.length > 1 && output.shape.slice(0, -1).some((size, axis) => size > input[axis]!)) {
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
    const spatial = output.shape.slice(0, -1);
    const source = encoded.shape.slice(1, -1);
    if (spatial.every((size, axis) => size === source[axis])) return encoded;
    if (primary) return tf.slice(encoded, [0, ...centreOffsets(source, spatial), 0], [-1, ...spatial, -1]);
    if (spatial.length === 2) return tf.image.resizeNearestNeighbor(encoded as tf.Tensor4D, spatial as [number, number]);
    return nearestVolume(encoded, spatial);
  });
}

/** The class labels the primary output is compared with (masks centre-cropped to its size), flat. */
export function primaryTruth(labels: tf.Tensor, primary: OutputInfo): tf.Tensor1D {
  return tf.tidy(() => {
    if (primary.shape.length === 1) return tf.reshape(labels, [-1]) as tf.Tensor1D;
    const spatial = primary.shape.slice(0, -1);
    return tf.reshape(tf.slice(labels, [0, ...centreOffsets(labels.shape.slice(1), spatial)], [-1, ...spatial]), [-1]) as tf.Tensor1D;
  });
}

const centreOffsets = (source: readonly number[], target: readonly number[]): number[] => target.map((size, axis) => Math.floor((source[axis]! - size) / 2));

/** Nearest-neighbour resizing of [N, D, H, W, C] (source index ⌊i · from / to⌋, as resizeNearestNeighbor and torch's nearest): a gather per axis. */
function nearestVolume(encoded: tf.Tensor, spatial: readonly number[]): tf.Tensor {
  return spatial.reduce((t, size, axis) => {
    const from = t.shape[axis + 1]!;
    const picks = Array.from({ length: size }, (_, i) => Math.min(from - 1, Math.floor(i * (from / size))));
    return tf.gather(t, picks, axis + 1);
  }, encoded);
}
