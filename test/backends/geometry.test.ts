import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cutWindow, filterGradWindow, transposedPlan, type AxisWindow } from '../../backends/wasm/geometry.js';

/**
 * The per-axis index plans behind the wasm gradient kernels, checked in one dimension against
 * the gradients written out term by term.
 */

/** Element j of the window over `values` (zero outside them); reading past the window is a plan error. */
const read = (values: number[], window: AxisWindow) => (j: number) => {
  if (j < 0 || j >= window.length) throw new RangeError(`read ${j} outside a window of ${window.length}`);
  const i = window.start + j;
  return i >= 0 && i < values.length ? values[i] : 0;
};

/** Every (size, taps, stride, dilation, padding before, padding after) with stride or dilation 1 and a non-empty output. */
function* geometries(): Generator<{ size: number; k: number; s: number; d: number; before: number; outSize: number }> {
  for (const size of [1, 2, 5, 8, 9])
    for (const k of [1, 2, 3, 4])
      for (const [s, d] of [[1, 1], [2, 1], [3, 1], [1, 2], [1, 3]])
        for (const before of [0, 1, 2])
          for (const after of [0, 1, 3]) {
            const outSize = Math.floor((size + before + after - ((k - 1) * d + 1)) / s) + 1;
            if (outSize >= 1) yield { size, k, s, d, before, outSize };
          }
}

const ramp = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 11) - 5);

test('transposedPlan: the interleaved stride phases give dx[h] = Σ dy[(h + pad − a·d)/s] · f[a]', () => {
  let checked = 0;
  for (const { size, k, s, d, before, outSize } of geometries()) {
    const dy = ramp(outSize, 1);
    const f = ramp(k, 2);
    const direct = Array.from({ length: size }, (_, h) => {
      let sum = 0;
      for (let a = 0; a < k; a++) {
        const t = h + before - a * d;
        if (t % s === 0 && t / s >= 0 && t / s < outSize) sum += dy[t / s] * f[a];
      }
      return sum;
    });
    const plan = transposedPlan(size, k, s, d, before);
    const interleaved: number[] = new Array(plan.count * s).fill(0);
    for (const { offset, taps, window } of plan.phases) {
      assert.is(window.length, plan.count + Math.max(taps - 1, 0) * d);
      const at = read(dy, window);
      for (let q = 0; q < plan.count; q++) {
        for (let u = 0; u < taps; u++) interleaved[q * s + offset] += at(q + u * d) * f[offset + (taps - 1 - u) * s];
      }
    }
    assert.equal(interleaved.slice(plan.cropStart, plan.cropStart + size), direct, `size ${size} k ${k} s ${s} d ${d} pad ${before}`);
    checked++;
  }
  assert.ok(checked > 300);
});

test('filterGradWindow: dW[a] = Σ_i x[a·d + i·s − pad] · dy[i] as a strided, dilated correlation', () => {
  for (const { size, k, s, d, before, outSize } of geometries()) {
    const x = ramp(size, 3);
    const dy = ramp(outSize, 4);
    const window = filterGradWindow(k, outSize, s, d, before);
    const at = read(x, window);
    for (let a = 0; a < k; a++) {
      let direct = 0;
      let viaWindow = 0;
      for (let i = 0; i < outSize; i++) {
        const xi = a * d + i * s - before;
        if (xi >= 0 && xi < size) direct += x[xi] * dy[i];
        viaWindow += at(a * d + i * s) * dy[i];
      }
      assert.is(viaWindow, direct);
    }
  }
});

test('cutWindow splits a window into kept rows and zeros on either side', () => {
  assert.equal(cutWindow({ start: -2, length: 7 }, 4), { from: 0, kept: 4, zerosBefore: 2, zerosAfter: 1 });
  assert.equal(cutWindow({ start: 1, length: 2 }, 4), { from: 1, kept: 2, zerosBefore: 0, zerosAfter: 0 });
  assert.equal(cutWindow({ start: 5, length: 3 }, 4), { from: 4, kept: 0, zerosBefore: 3, zerosAfter: 0 });
  assert.throws(() => transposedPlan(8, 3, 2, 2, 1), /one of them must be 1/);
});

test.run();
