/**
 * Every block's emitted code on a volume (D×H×W×C), run on TensorFlow.js' cpu backend: the tensor has
 * the shape the shape rule predicted, in inference and in training, and every weight and the input get
 * a finite gradient (the 3-D paths train).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rt from '../../runtime/index.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';
import { emitContext, runBlock } from './harness.js';
import { compile, STATE, weightTensor } from './emit-eval.js';
import type { Sample } from './samples.js';
import { VOLUME_SAMPLES } from './volume-samples.js';

await tf.setBackend('cpu');

for (const [kind, sample] of Object.entries(VOLUME_SAMPLES) as [BlockKind, Sample][]) {
  test(`${kind} on a volume: tfjs shape = shape rule, and gradients flow`, () => {
    const run = runBlock(kind, sample.args, sample.inputs);
    assert.equal(run.reported, [], 'the sample is valid');
    const expr = BLOCKS[kind].emit(emitContext(kind, sample.args, sample.inputs));
    const fn = compile(expr);
    tf.tidy(() => {
      const weights = Object.fromEntries(run.weights.map((spec) => [spec.name, weightTensor(spec)]));
      const xs = sample.inputs.map((s, i) => tf.randomNormal([2, ...s], 0, 1, 'float32', 3 + i));
      for (const training of [false, true]) assert.equal(fn(tf, rt, xs, weights, training, STATE).shape, [2, ...run.out!], `training ${training}`);
      const trainable = run.weights.filter((w) => w.trainable).map((w) => weights[w.name]!);
      const grads = tf.grads((...args: tf.Tensor[]) => {
        const w = { ...weights, ...Object.fromEntries(run.weights.filter((s) => s.trainable).map((s, i) => [s.name, args[i + 1]!])) };
        return tf.sum(tf.square(fn(tf, rt, [args[0]!, ...xs.slice(1)], w, true, STATE)));
      })([xs[0]!, ...trainable]);
      for (const [i, g] of grads.entries()) assert.ok(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0]!), `gradient ${i} is finite`);
    });
  });
}

test.run();
