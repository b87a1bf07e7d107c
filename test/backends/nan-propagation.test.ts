import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossentropy } from '../../runtime/train/losses.js';
import { expectAllMatch, initBothBackends, restoreCpuBackend, sample, type Shape4 } from './compare.js';

/**
 * NaN in, NaN out on every backend. As shipped, wasm's clipByValue, relu6 and pooling turn NaN into
 * a finite value (or −∞) and cpu's max pool skips it, so a diverged network gave a finite loss on
 * wasm and NaN on cpu. Each case is checked against a NaN mask computed here in plain JavaScript
 * and against cpu.
 */

type Pad = 'same' | 'valid' | number;

/** Input [2, 7, 8, 3] with NaN at a few scattered places (one whole 2×2 block, single values). */
function withNaNs(): Float32Array {
  const values = sample([2, 7, 8, 3], 11);
  for (const at of [0, 5, 50, 51, 74, 75, 200, 333]) values[at] = NaN;
  return values;
}

const SHAPE: Shape4 = [2, 7, 8, 3];

/** Output positions whose window holds a NaN, by brute force over the windows tfjs computes. */
function expectedNaNs(values: Float32Array, filter: number, stride: number, pad: Pad): boolean[] {
  const info = tf.backend_util.computePool2DInfo(SHAPE, filter, stride, 1, pad);
  const [n, h, w, c] = SHAPE;
  const out: boolean[] = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < info.outHeight; oy++)
      for (let ox = 0; ox < info.outWidth; ox++)
        for (let ch = 0; ch < c; ch++) {
          let nan = false;
          for (let dy = 0; dy < filter; dy++)
            for (let dx = 0; dx < filter; dx++) {
              const y = oy * stride - info.padInfo.top + dy;
              const x = ox * stride - info.padInfo.left + dx;
              if (y >= 0 && y < h && x >= 0 && x < w && Number.isNaN(values[((b * h + y) * w + x) * c + ch]!)) nan = true;
            }
          out.push(nan);
        }
  return out;
}

async function nanMask(backend: string, f: () => tf.Tensor): Promise<boolean[]> {
  await tf.setBackend(backend);
  const t = tf.tidy(f);
  const values = await t.data();
  t.dispose();
  return Array.from(values, (v) => Number.isNaN(v));
}

test.before(initBothBackends);
test.after(restoreCpuBackend);

test('max and average pooling give NaN exactly where a window holds a NaN, on wasm and cpu', async () => {
  const values = withNaNs();
  for (const mode of ['max', 'avg'] as const)
    for (const [filter, stride, pad] of [[2, 2, 'valid'], [3, 1, 'same'], [3, 2, 'same'], [2, 1, 1]] as [number, number, Pad][]) {
      const pool = () => (mode === 'max' ? tf.maxPool : tf.avgPool)(tf.tensor4d(values, SHAPE), filter, stride, pad);
      const expected = expectedNaNs(values, filter, stride, pad);
      assert.ok(expected.some(Boolean) && !expected.every(Boolean));
      for (const backend of ['wasm', 'cpu']) assert.equal(await nanMask(backend, pool), expected, `${mode}Pool ${filter}×${filter} stride ${stride} pad ${pad} on ${backend}`);
      await expectAllMatch([[`${mode}Pool ${filter} ${stride} ${pad}`, pool]]);
    }
});

test('clipByValue and relu6 keep NaN and still clamp ±∞', async () => {
  const values = [NaN, -Infinity, Infinity, -2, 0.5, 7, NaN];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    assert.equal(Array.from(tf.tidy(() => tf.clipByValue(tf.tensor1d(values), -1, 1)).dataSync()), [NaN, -1, 1, -1, 0.5, 1, NaN], `clip on ${backend}`);
    assert.equal(Array.from(tf.tidy(() => tf.relu6(tf.tensor1d(values))).dataSync()), [NaN, 0, 6, 0, 0.5, 6, NaN], `relu6 on ${backend}`);
  }
});

test('the gradients through the wrapped kernels are unchanged where there is no NaN', async () => {
  const values = sample(SHAPE, 12);
  await expectAllMatch([
    ['maxPool gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'))))(tf.tensor4d(values, SHAPE))],
    ['clip gradient', () => tf.grad((x: tf.Tensor) => tf.sum(tf.clipByValue(x, -0.3, 0.3)))(tf.tensor4d(values, SHAPE))],
  ]);
});

test('relu keeps a NaN whose sign bit is set (what 0·∞ and √−1 give), and depthwise convolution keeps NaN', async () => {
  const bits = new Uint32Array(48).map((_, i) => (i % 3 === 0 ? 0xffc00000 : i % 3 === 1 ? 0x7fc00000 : 0x3f000000 + i));
  const values = new Float32Array(bits.buffer);
  const expected = Array.from(values, (v) => Number.isNaN(v));
  const x = () => tf.tensor4d(values, [1, 4, 4, 3]);
  for (const backend of ['wasm', 'cpu']) {
    assert.equal(await nanMask(backend, () => tf.relu(x())), expected, `relu on ${backend}`);
    assert.equal(await nanMask(backend, () => tf.depthwiseConv2d(x(), tf.ones([1, 1, 3, 1]), 1, 'same')), expected, `1×1 depthwise on ${backend}`);
  }
  const clean = sample([1, 5, 6, 2], 13);
  const nanFilter = Float32Array.from([1, 2, NaN, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await expectAllMatch([
    ['3×3 depthwise, NaN input', () => tf.depthwiseConv2d(tf.tensor4d(withNaNs().slice(0, 168), [1, 7, 8, 3]), tf.ones([3, 3, 3, 2]), 1, 'same')],
    ['3×3 depthwise, NaN tap', () => tf.depthwiseConv2d(tf.tensor4d(clean, [1, 5, 6, 2]), tf.tensor4d(nanFilter, [3, 3, 2, 1]), 2, 'same')],
  ]);
});

test('crossentropy of a NaN prediction is NaN on wasm, as on cpu', async () => {
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const loss = tf.tidy(() => crossentropy(tf.tensor2d([[NaN, NaN], [0.3, 0.7]]), tf.tensor2d([[1, 0], [0, 1]]), 'softmax', { kind: 'crossentropy', output: null, weight: 1, smooth: 1 }, false));
    assert.ok(Number.isNaN(loss.dataSync()[0]), `${backend}: loss ${loss.dataSync()[0]}`);
    loss.dispose();
  }
});

test('no tensor is left behind by the slow path', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor4d(withNaNs(), SHAPE);
  const before = tf.memory().numTensors;
  tf.dispose([tf.maxPool(x, 2, 2, 'valid'), tf.avgPool(x, 3, 1, 'same'), tf.clipByValue(x, 0, 1), tf.relu6(x)]);
  assert.is(tf.memory().numTensors, before);
  x.dispose();
});

test.run();
