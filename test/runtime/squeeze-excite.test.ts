import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { squeezeExcite } from '../../runtime/index.js';
import { lcg, maxAbsDiff } from './reference.js';

await tf.setBackend('cpu');

test('squeeze-excite: avg pool → relu dense → sigmoid dense → channel scale', () => {
  const [N, H, W, C, R] = [2, 3, 2, 4, 2];
  const rand = lcg(8);
  const values = (n: number): number[] => Array.from({ length: n }, () => rand() * 2 - 1);
  const [x, w1, b1, w2, b2] = [values(N * H * W * C), values(C * R), values(R), values(R * C), values(C)];
  const y = squeezeExcite(tf.tensor4d(x, [N, H, W, C]), { w1: tf.tensor2d(w1, [C, R]), b1: tf.tensor1d(b1), w2: tf.tensor2d(w2, [R, C]), b2: tf.tensor1d(b2) });

  const expected: number[] = [];
  for (let n = 0; n < N; n++) {
    const pooled = Array.from({ length: C }, (_, c) => {
      let sum = 0;
      for (let p = 0; p < H * W; p++) sum += x[(n * H * W + p) * C + c];
      return sum / (H * W);
    });
    const hidden = Array.from({ length: R }, (_, r) => Math.max(0, b1[r] + pooled.reduce((s, v, c) => s + v * w1[c * R + r], 0)));
    const gate = Array.from({ length: C }, (_, c) => 1 / (1 + Math.exp(-(b2[c] + hidden.reduce((s, v, r) => s + v * w2[r * C + c], 0)))));
    for (let p = 0; p < H * W; p++) for (let c = 0; c < C; c++) expected.push(x[(n * H * W + p) * C + c] * gate[c]);
  }
  assert.ok(maxAbsDiff(y.dataSync(), expected) < 1e-6);
});

test.run();
