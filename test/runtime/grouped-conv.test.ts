import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GnetError, groupedConv2d, type Padding } from '../../runtime/index.js';
import { correlate, lcg, maxAbsDiff } from './reference.js';

await tf.setBackend('cpu');

/** Inserts d − 1 zeros between taps, in plain numbers. */
function dilate(kernel: number[][], [dh, dw]: [number, number]): number[][] {
  const rows = (kernel.length - 1) * dh + 1;
  const cols = (kernel[0].length - 1) * dw + 1;
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (r % dh === 0 && c % dw === 0 ? kernel[r / dh][c / dw] : 0)));
}

interface Case {
  readonly inC: number;
  readonly outC: number;
  readonly groups: number;
  readonly k: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly padding: Padding;
}

function check(c: Case, seed: number): void {
  const [h, w] = [7, 6];
  const rand = lcg(seed);
  const x = Array.from({ length: h * w * c.inC }, () => rand() * 2 - 1);
  const perIn = c.inC / c.groups;
  const perOut = c.outC / c.groups;
  const kernel = Array.from({ length: c.k[0] * c.k[1] * perIn * c.outC }, () => rand() * 2 - 1);
  const plane = (i: number): number[][] => Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, col) => x[(r * w + col) * c.inC + i]));
  const tap = (i: number, o: number): number[][] =>
    Array.from({ length: c.k[0] }, (_, r) => Array.from({ length: c.k[1] }, (_, col) => kernel[((r * c.k[1] + col) * perIn + i) * c.outC + o]));
  const outputs = Array.from({ length: c.outC }, (_, o) => {
    const g = Math.floor(o / perOut);
    const parts = Array.from({ length: perIn }, (_, i) => correlate(plane(g * perIn + i), dilate(tap(i, o), c.dilation), c.stride, c.padding));
    return parts[0].map((row, r) => row.map((_, col) => parts.reduce((s, p) => s + p[r][col], 0)));
  });
  const expected: number[] = [];
  outputs[0].forEach((row, r) => row.forEach((_, col) => outputs.forEach((out) => expected.push(out[r][col]))));
  const y = groupedConv2d(tf.tensor4d(x, [1, h, w, c.inC]), tf.tensor4d(kernel, [c.k[0], c.k[1], perIn, c.outC]), c.stride, c.padding, c.dilation, c.groups);
  assert.equal(y.shape, [1, outputs[0].length, outputs[0][0].length, c.outC]);
  assert.ok(maxAbsDiff(y.dataSync(), expected) < 1e-5, JSON.stringify(c));
}

const plain: Case = { inC: 4, outC: 6, groups: 1, k: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'same' };

test('groups 1, 2 and depthwise (groups = in) match per-group correlation', () => {
  check(plain, 1);
  check({ ...plain, groups: 2, k: [3, 5] }, 2);
  check({ ...plain, groups: 4, outC: 8 }, 3);
});

test('stride together with dilation, valid and explicit padding', () => {
  check({ ...plain, groups: 2, stride: [2, 2], dilation: [2, 2] }, 4);
  check({ ...plain, groups: 4, outC: 4, stride: [2, 1], dilation: [1, 2], padding: 'valid' }, 5);
  check({ ...plain, padding: [1, 2], dilation: [2, 1] }, 6);
});

test('groups that do not split the channels are GN9022', () => {
  try {
    groupedConv2d(tf.ones([1, 4, 4, 4]), tf.ones([3, 3, 2, 3]), [1, 1], 'same', [1, 1], 2);
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof GnetError && e.code === 'GN9022');
  }
});

test.run();
