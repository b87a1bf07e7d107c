import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crop, GnetError, pad, upsample } from '../../runtime/index.js';
import { lcg, maxAbsDiff } from './reference.js';

await tf.setBackend('cpu');

const [H, W, C] = [3, 4, 2];
const rand = lcg(3);
const xs = Array.from({ length: H * W * C }, () => rand() * 2 - 1);
const at = (r: number, c: number, ch: number): number => xs[(r * W + c) * C + ch];
const input = (): tf.Tensor4D => tf.tensor4d(xs, [1, H, W, C]);

/** Half-pixel bilinear sample of one axis position: src = (o + ½)/f − ½, clamped neighbours. */
function halfPixel(o: number, f: number, size: number): [number, number, number] {
  const src = (o + 0.5) / f - 0.5;
  const lo = Math.floor(src);
  const clamp = (i: number): number => Math.min(Math.max(i, 0), size - 1);
  return [clamp(lo), clamp(lo + 1), src - lo];
}

function bilinearReference(fh: number, fw: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < H * fh; r++) {
    const [r0, r1, tr] = halfPixel(r, fh, H);
    for (let c = 0; c < W * fw; c++) {
      const [c0, c1, tc] = halfPixel(c, fw, W);
      for (let ch = 0; ch < C; ch++) {
        const top = at(r0, c0, ch) * (1 - tc) + at(r0, c1, ch) * tc;
        const bottom = at(r1, c0, ch) * (1 - tc) + at(r1, c1, ch) * tc;
        out.push(top * (1 - tr) + bottom * tr);
      }
    }
  }
  return out;
}

test('nearest upsampling repeats every pixel fh × fw times', () => {
  const y = upsample(input(), [2, 3], 'nearest');
  assert.equal(y.shape, [1, 6, 12, 2]);
  const expected: number[] = [];
  for (let r = 0; r < 6; r++) for (let c = 0; c < 12; c++) for (let ch = 0; ch < C; ch++) expected.push(at(Math.floor(r / 2), Math.floor(c / 3), ch));
  assert.equal(Array.from(y.dataSync()), Array.from(new Float32Array(expected)));
});

test('nearest gradient sums the output gradient over each fh × fw block, image by image', () => {
  const batch = 2;
  const up = Array.from({ length: batch * H * 2 * W * 3 * C }, (_, i) => ((i * 5) % 7) - 3);
  const x = tf.tensor4d([...xs, ...xs.map((v) => -v)], [batch, H, W, C]);
  const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(upsample(t as tf.Tensor4D, [2, 3], 'nearest'), tf.tensor4d(up, [batch, 6, 12, C]))))(x);
  const expected = new Array<number>(batch * H * W * C).fill(0);
  for (let b = 0; b < batch; b++) for (let r = 0; r < 6; r++) for (let c = 0; c < 12; c++) for (let ch = 0; ch < C; ch++) {
    expected[((b * H + Math.floor(r / 2)) * W + Math.floor(c / 3)) * C + ch] += up[((b * 6 + r) * 12 + c) * C + ch]!;
  }
  assert.ok(maxAbsDiff(grad.dataSync(), expected) < 1e-5);
});

test('upsample factors must be positive integers (GN9023)', () => {
  try {
    upsample(input(), [0, 2], 'nearest');
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof GnetError && e.code === 'GN9023');
  }
});

test('bilinear upsampling uses half-pixel centres (as tf.image.resize / Keras)', () => {
  const y = upsample(input(), [2, 3], 'bilinear');
  assert.ok(maxAbsDiff(y.dataSync(), bilinearReference(2, 3)) < 1e-6);
  const stock = tf.image.resizeBilinear(input(), [6, 12], false, true);
  assert.ok(maxAbsDiff(y.dataSync(), stock.dataSync()) < 1e-6);
});

test('bilinear gradient is the adjoint of the interpolation', () => {
  const up = Array.from({ length: H * 2 * W * 2 * C }, (_, i) => ((i * 5) % 7) - 3);
  const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(upsample(x as tf.Tensor4D, [2, 2], 'bilinear'), tf.tensor4d(up, [1, 6, 8, 2]))))(input());
  // The map is linear: ∂(Σ up·y)/∂x_i is the response to a unit impulse at i.
  const reference = bilinearReference(2, 2);
  const expected = xs.map((_, i) => {
    const saved = xs[i];
    xs[i] = saved + 1;
    const bumped = bilinearReference(2, 2);
    xs[i] = saved;
    return bumped.reduce((s, v, j) => s + (v - reference[j]) * up[j], 0);
  });
  assert.ok(maxAbsDiff(grad.dataSync(), expected) < 1e-4);
});

test('crop takes the window at [top, left]; out-of-bounds windows are GN9024', () => {
  const y = crop(input(), [1, 2], [2, 2]);
  assert.equal(y.shape, [1, 2, 2, 2]);
  assert.equal(Array.from(y.dataSync()), Array.from(new Float32Array([at(1, 2, 0), at(1, 2, 1), at(1, 3, 0), at(1, 3, 1), at(2, 2, 0), at(2, 2, 1), at(2, 3, 0), at(2, 3, 1)])));
  try {
    crop(input(), [2, 0], [2, 2]);
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof GnetError && e.code === 'GN9024');
  }
});

test('pad adds zero rows and columns on each side', () => {
  const y = pad(input(), [[1, 0], [0, 2]]);
  assert.equal(y.shape, [1, 4, 6, 2]);
  const v = y.dataSync();
  assert.is(v[0], 0);
  assert.is(v[(1 * 6 + 0) * 2], Math.fround(at(0, 0, 0)));
  assert.is(v[(1 * 6 + 5) * 2 + 1], 0);
});

test.run();
