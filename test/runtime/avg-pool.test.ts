/**
 * rt.avgPool leaves padded cells out of the average and differentiates exactly that: its gradient
 * agrees with central differences where windows hold padding ('same', explicit, ceil mode), where
 * tfjs' own AvgPoolGrad (dy / (kh·kw) everywhere) does not; and wasm computes the same as cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { avgPool } from '../../runtime/blocks/avg-pool.js';
import { expectAllMatch, initBothBackends, restoreCpuBackend } from '../backends/compare.js';

await initBothBackends();
await tf.setBackend('cpu');

type Pad = Parameters<typeof avgPool>[3];
const CASES: [string, [number, number], [number, number], Pad][] = [
  ['3×3 stride 2 same', [3, 3], [2, 2], 'same'],
  ['2×2 stride 2 same (odd input)', [2, 2], [2, 2], 'same'],
  ['3×3 stride 1 explicit 1', [3, 3], [1, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]],
  ['3×2 ceil-mode extra row and column', [3, 2], [2, 2], [[0, 0], [0, 1], [0, 1], [0, 0]]],
];

const input = () => tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 3) as tf.Tensor4D;

test('the gradient agrees with central differences (float64 sums of the forward values)', () => {
  for (const [name, size, stride, pad] of CASES) {
    const x = input();
    const r = tf.tidy(() => tf.randomUniform(avgPool(x, size, stride, pad).shape, -1, 1, 'float32', 4));
    const analytic = tf.grad((v) => tf.sum(tf.mul(avgPool(v as tf.Tensor4D, size, stride, pad), r)))(x).dataSync();
    const values = Float32Array.from(x.dataSync());
    const rValues = Float32Array.from(r.dataSync());
    const lossAt = (shifted: Float32Array) =>
      tf.tidy(() => Array.from(avgPool(tf.tensor4d(shifted, x.shape), size, stride, pad).dataSync()).reduce((sum, v, i) => sum + v * rValues[i]!, 0));
    for (const at of [0, 4, 20, 146]) {
      const [up, down] = [values.slice(), values.slice()];
      up[at]! += 1e-2;
      down[at]! -= 1e-2;
      const numeric = (lossAt(up) - lossAt(down)) / 2e-2;
      assert.ok(Math.abs(analytic[at]! - numeric) < 1e-3, `${name}, element ${at}: analytic ${analytic[at]} vs numeric ${numeric}`);
    }
    tf.dispose([x, r]);
  }
});

test('wasm gives the values and gradients cpu gives', async () => {
  const cases = CASES.flatMap(([name, size, stride, pad]) => [
    [`${name} forward`, () => avgPool(input(), size, stride, pad)] as [string, () => tf.Tensor],
    [`${name} gradient`, () => tf.grad((v) => tf.sum(tf.square(avgPool(v as tf.Tensor4D, size, stride, pad))))(input())] as [string, () => tf.Tensor],
  ]);
  assert.is(await expectAllMatch(cases), 2 * CASES.length);
  await restoreCpuBackend();
});

test.run();
