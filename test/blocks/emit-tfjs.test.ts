/**
 * Emitted code run on TensorFlow.js (cpu): for every block and the padding/rounding variants that
 * need translating, the tensor tfjs produces has the shape the shape rule predicted; a few values
 * are checked against hand-computed references (PyTorch ceil mode, gelu, swish).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as rt from '../../runtime/index.js';
import type { Shape } from '../../compiler/ir/ir.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';
import { emitContext, runBlock, type Args } from './harness.js';
import { compile, evaluate, STATE } from './emit-eval.js';
import { SAMPLES } from './samples.js';

await tf.setBackend('cpu');

const VARIANTS: readonly { kind: BlockKind; args: Args; inputs: readonly Shape[] }[] = [
  ...Object.entries(SAMPLES).map(([kind, s]) => ({ kind: kind as BlockKind, ...s })),
  { kind: 'conv', args: { filters: 3, size: 3, stride: 2, round: 'ceil', padding: 'valid' }, inputs: [[8, 9, 2]] },
  { kind: 'conv', args: { filters: 3, padding: [2, 0] }, inputs: [[5, 6, 2]] },
  { kind: 'conv', args: { filters: 3, stride: 2, dilation: 2, round: 'ceil' }, inputs: [[9, 8, 2]] },
  { kind: 'conv', args: { filters: 4, groups: 2, padding: 1, stride: 2, round: 'ceil' }, inputs: [[8, 8, 2]] },
  { kind: 'depthwise', args: { stride: 2, dilation: 2, padding: 'valid', round: 'floor' }, inputs: [[10, 10, 3]] },
  { kind: 'conv_transpose', args: { filters: 2, size: 3, stride: 2, padding: 'valid' }, inputs: [[5, 5, 4]] },
  { kind: 'conv_transpose', args: { filters: 2, size: 4, stride: 2, padding: 1 }, inputs: [[4, 5, 3]] },
  { kind: 'conv_transpose', args: { filters: 2, size: 2, stride: 3, padding: 'valid' }, inputs: [[3, 3, 1]] },
  { kind: 'maxpool', args: { size: 3, stride: 2, padding: 1, round: 'floor' }, inputs: [[12, 12, 2]] },
  { kind: 'avgpool', args: { size: 3, stride: 2, round: 'ceil' }, inputs: [[8, 7, 2]] },
  { kind: 'gauss', args: { filters: 4, size: 3, padding: 1, stride: 2, round: 'ceil' }, inputs: [[8, 8, 2]] },
  { kind: 'gauss', args: { filters: 4, size: 3, bases: 2, order: 1, mix: 'separated', padding: 'valid' }, inputs: [[7, 7, 3]] },
  { kind: 'gauss', args: { filters: 8, size: 3, order: 0, isotropic: true }, inputs: [[6, 6, 4]] },
  { kind: 'dense', args: { units: 3 }, inputs: [[7]] },
  { kind: 'crop', args: { size: [3, 4] }, inputs: [[6, 7, 2]] },
];

for (const v of VARIANTS) {
  test(`${v.kind}(${JSON.stringify(v.args)}) on ${v.inputs.map((s) => s.join('×')).join(', ')}: tfjs shape = shape rule`, () => {
    const predicted = runBlock(v.kind, v.args, v.inputs).out;
    tf.tidy(() => assert.equal(evaluate(v.kind, v.args, v.inputs).shape, [2, ...predicted!]));
  });
}

const row = (values: number[]) => tf.tensor4d(values, [1, 1, values.length, 1]);

test('maxpool ceil mode matches PyTorch: a last partial window, none starting in the padding', () => {
  tf.tidy(() => {
    const x = row([1, 2, 3, 4, 5]);
    assert.equal(Array.from(evaluate('maxpool', { size: [1, 2], round: 'ceil' }, [[1, 5, 1]], [x]).dataSync()), [2, 4, 5]);
    // PyTorch MaxPool2d((1, 2), 2, padding=(0, 1), ceil_mode=True) on 1..5 gives [1, 3, 5].
    assert.equal(Array.from(evaluate('maxpool', { size: [1, 2], padding: [0, 1], round: 'ceil' }, [[1, 5, 1]], [x]).dataSync()), [1, 3, 5]);
  });
});

test('gelu and swish values at 1', () => {
  tf.tidy(() => {
    const one = tf.ones([1, 1, 1, 1]);
    assert.ok(Math.abs(evaluate('gelu', {}, [[1, 1, 1]], [one]).dataSync()[0]! - 0.8413447460685429) < 1e-6);
    assert.ok(Math.abs(evaluate('swish', {}, [[1, 1, 1]], [one]).dataSync()[0]! - 0.7310585786300049) < 1e-6);
  });
});

test('depthwise with stride and dilation (run as a grouped conv) equals the dilated stride-1 result subsampled', () => {
  tf.tidy(() => {
    const x = tf.randomNormal<tf.Rank.R4>([1, 9, 9, 2], 0, 1, 'float32', 5);
    const args = { stride: 2, dilation: 2, padding: 'valid', multiplier: 2, bias: false };
    const ctx = emitContext('depthwise', args, [[9, 9, 2]]);
    const kernel = tf.randomNormal<tf.Rank.R4>([3, 3, 2, 2], 0, 1, 'float32', 6);
    const got = compile(BLOCKS.depthwise.emit(ctx))(tf, rt, [x], { kernel }, false, STATE);
    const full = tf.depthwiseConv2d(x, kernel, 1, 'valid', 'NHWC', 2);
    const expected = tf.stridedSlice(full, [0, 0, 0, 0], [1, 5, 5, 4], [1, 2, 2, 1]);
    assert.equal(got.shape, expected.shape);
    assert.ok(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]! < 1e-5);
  });
});

test.run();
