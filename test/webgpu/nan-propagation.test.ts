/**
 * NaN in, NaN out on WebGPU too: tfjs' relu6 and max-pool shaders drop NaN (max/clamp return the
 * other operand), so gnet wraps them; the divergence check's reduction Σ w·0 must see NaN and ∞.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { nonFiniteProbe } from '../../runtime/train/divergence.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();

/** 48 values: a NaN with the sign bit set, a plain NaN, a finite value, repeated. */
const bits = new Uint32Array(48).map((_, i) => (i % 3 === 0 ? 0xffc00000 : i % 3 === 1 ? 0x7fc00000 : 0x3f000000 + i));
const values = new Float32Array(bits.buffer);
const isNaNs = async (t: tf.Tensor) => Array.from(await t.data(), (v) => Number.isNaN(v));

test.after(() => webgpuBackend.release());

gpu('webgpu: relu6 and max pooling keep NaN; the divergence probe sees NaN and ∞', async () => {
  await webgpuBackend.init();
  const x = tf.tensor4d(values, [1, 4, 4, 3]);
  assert.equal(await isNaNs(tf.relu6(x)), Array.from(values, (v) => Number.isNaN(v)));
  // Every 2×2 window holds a NaN in every channel, except that channel 2 never does.
  assert.equal(await isNaNs(tf.maxPool(x, 2, 2, 'valid')), [true, true, false, true, true, false, true, true, false, true, true, false]);
  const clean = Float32Array.from({ length: 12 }, (_, i) => i - 6);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const weights = [tf.tensor1d(clean), tf.tensor1d(Float32Array.from(clean, (v, i) => (i === 5 ? bad : v)))];
    assert.ok(Number.isNaN((await nonFiniteProbe(weights).data())[0]), `probe sees ${bad}`);
  }
  assert.is((await nonFiniteProbe([tf.tensor1d(clean), tf.tensor1d([3e38, -3e38])]).data())[0], 0, 'large finite values are fine');
});

test.run();
