/**
 * Every block's emitted code on a volume (D×H×W×C), run on TensorFlow.js' cpu backend: the tensor has
 * the shape the shape rule predicted, in inference and in training, and every weight and the input get
 * a finite gradient (the 3-D paths train). The Record type makes a new block without a volume sample
 * a type error.
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

await tf.setBackend('cpu');

const volume = [[6, 6, 6, 4]] as const;
const plain = (args: Sample['args'] = {}): Sample => ({ args, inputs: volume });

export const VOLUME_SAMPLES: Record<BlockKind, Sample> = {
  conv: plain({ filters: 6, stride: 2, padding: 'valid', round: 'floor' }),
  depthwise: plain({ multiplier: 2, padding: 1, dilation: [1, 2, 1] }),
  conv_transpose: plain({ filters: 3, size: 3, stride: 2, padding: 1 }),
  gauss: plain({ filters: 6, size: 3, bases: 2, bias: true }),
  maxpool: plain({ size: 3, stride: 2, round: 'ceil' }),
  avgpool: plain({ size: [1, 2, 2], padding: 'same' }),
  global_avgpool: plain(),
  global_maxpool: plain({ keepdims: true }),
  upsample: plain({ factor: [2, 1, 2], mode: 'bilinear' }),
  dense: plain({ units: 5 }),
  flatten: plain(),
  batchnorm: plain(),
  groupnorm: plain({ groups: 2 }),
  instancenorm: plain(),
  dropout: plain({ rate: 0.25 }),
  relu: plain(),
  relu6: plain(),
  sigmoid: plain(),
  tanh: plain(),
  softmax: plain(),
  elu: plain(),
  selu: plain(),
  gelu: plain(),
  swish: plain(),
  softplus: plain(),
  linear: plain(),
  leaky_relu: plain({ alpha: 0.1 }),
  add: { args: {}, inputs: [volume[0], volume[0]] },
  multiply: { args: {}, inputs: [volume[0], volume[0]] },
  concat: { args: {}, inputs: [volume[0], [6, 6, 6, 2]] },
  crop: { args: {}, inputs: [volume[0], [4, 5, 3, 1]] },
  se: plain({ ratio: 2 }),
  fre: plain({ count: 2 }),
};

for (const [kind, sample] of Object.entries(VOLUME_SAMPLES) as [BlockKind, Sample][]) {
  // The 3-D gauss runtime (rt.gaussConv3d) comes with the 3-D kernels.
  (kind === 'gauss' ? test.skip : test)(`${kind} on a volume: tfjs shape = shape rule, and gradients flow`, () => {
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
