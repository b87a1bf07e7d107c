/**
 * Every block's emitted code on a volume, forward and gradients (of the input and every trainable
 * weight), on wasm against the cpu backend: the 3-D paths (conv3d with groups and dilation, the
 * transposed conv3d and its gradients, padded 3-D pools, the volume gauss layer through each lowering,
 * group norms, trilinear upsampling) run on tfjs-backend-wasm with gnet's kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rt from '../../runtime/index.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';
import { gaussLowering } from '../../compiler/blocks/gauss-lowering.js';
import { emitContext, runBlock } from '../blocks/harness.js';
import { compile, STATE } from '../blocks/emit-eval.js';
import type { Sample } from '../blocks/samples.js';
import { VOLUME_SAMPLES } from '../blocks/volume-samples.js';
import { expectAllMatch, initBothBackends, restoreCpuBackend, sample, type Case } from './compare.js';

await initBothBackends();

/** The gauss layer through each of its volume lowerings (the samples reach one). */
const GAUSS: readonly Sample[] = [
  { args: { filters: 4, size: 3, order: 1 }, inputs: [[5, 6, 5, 8]] },
  { args: { filters: 16, size: 3, order: 0 }, inputs: [[4, 5, 4, 4]] },
  { args: { filters: 32, size: 5, order: 1, mix: 'separated' }, inputs: [[4, 4, 4, 32]] },
  { args: { filters: 8, size: 5, order: 1, train_theta: false, theta_init: 0 }, inputs: [[6, 6, 6, 8]] },
  { args: { filters: 8, size: 5, order: 1, bases: 2, mix: 'separated', train_theta: false, theta_init: 0, stride: 2 }, inputs: [[6, 6, 6, 8]] },
];

function blockCase(kind: BlockKind, s: Sample, label: string): Case {
  const run = runBlock(kind, s.args, s.inputs);
  const fn = compile(BLOCKS[kind].emit(emitContext(kind, s.args, s.inputs)));
  const f = () => {
    const weights = Object.fromEntries(run.weights.map((spec, i) => [spec.name, tf.tensor(sample([...spec.shape], 50 + i), [...spec.shape])]));
    for (const spec of run.weights) if (spec.minValue !== undefined) weights[spec.name] = tf.add(tf.abs(weights[spec.name]!), 0.6);
    // Batch norm updates its moving statistics in place while training.
    for (const spec of run.weights) if (!spec.trainable) weights[spec.name] = tf.variable(weights[spec.name]!, false);
    const xs = s.inputs.map((shape, i) => tf.tensor(sample([2, ...shape], 3 + i), [2, ...shape]));
    const trainable = run.weights.filter((w) => w.trainable);
    const r = tf.tensor(sample([2, ...run.out!], 99), [2, ...run.out!]);
    const loss = (...args: tf.Tensor[]) => {
      const w = { ...weights, ...Object.fromEntries(trainable.map((spec, i) => [spec.name, args[i + 1]!])) };
      return tf.sum(tf.mul(fn(tf, rt, [args[0]!, ...xs.slice(1)], w, true, STATE), r));
    };
    return [fn(tf, rt, xs, weights, true, STATE), ...tf.grads(loss)([xs[0]!, ...trainable.map((spec) => weights[spec.name]!)])];
  };
  return [label, f];
}

test('every block on a volume: forward and gradients on wasm equal cpu', async () => {
  const cases = (Object.entries(VOLUME_SAMPLES) as [BlockKind, Sample][]).map(([kind, s]) => blockCase(kind, s, kind));
  const gauss = GAUSS.map((s) => blockCase('gauss', s, `gauss ${gaussLowering(s.inputs[0]!, runBlock('gauss', s.args, s.inputs).attrs).lowering}`));
  assert.equal(gauss.map(([name]) => name).sort(), ['gauss basis-first', 'gauss basis-first-axes', 'gauss combined', 'gauss separated', 'gauss separated-axes']);
  assert.ok((await expectAllMatch([...cases, ...gauss], 1e-3)) > 30);
  await restoreCpuBackend();
});

test('the replaced Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 over strides, paddings and odd sizes equal cpu', async () => {
  const cases: Case[] = [];
  for (const [k, stride] of [[[3, 3, 3], [1, 1, 1]], [[3, 2, 3], [2, 2, 2]], [[2, 3, 1], [2, 1, 3]], [[1, 1, 1], [2, 2, 2]]] as const)
    for (const pad of ['same', 'valid'] as const)
      for (const dims of [[5, 6, 7], [4, 4, 5]] as const) {
        const xShape = [2, ...dims, 3];
        const wShape = [...k, 3, 4];
        cases.push([
          `k ${k.join('×')}, stride ${stride.join('×')}, ${pad}, ${dims.join('×')}`,
          () => {
            const [x, w] = [tf.tensor(sample(xShape, 1), xShape), tf.tensor(sample(wShape, 2), wShape)];
            const y = tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, [...stride], pad);
            const r = tf.tensor(sample(y.shape, 3), y.shape);
            return tf.grads((a, b) => tf.sum(tf.mul(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, [...stride], pad), r)))([x, w]);
          },
        ]);
      }
  assert.is(await expectAllMatch(cases, 1e-4), 16);
  await restoreCpuBackend();
});

test.run();
