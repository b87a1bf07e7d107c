/** gnet's fixes to tfjs-backend-webgpu kernels: rank-5/6 padding, and sin/cos to float32 accuracy. */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../backends/cpu.js';
import { preciseSine } from '../../backends/webgpu/trig.js';
import { registerGradients } from '../../runtime/gradients.js';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { sample } from '../../web/steps.js';
import { tensorMismatch } from './support/compare.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();
await registerGradients();
const ANGLES = Float32Array.from({ length: 4001 }, (_, i) => -100 + i * 0.05);

/** Largest absolute difference from Math.sin / Math.cos (float64) of the same float32 inputs. */
async function trigError(sine: tf.Tensor, cosine: tf.Tensor): Promise<number> {
  const [s, c] = [await sine.data(), await cosine.data()];
  return Math.max(...Array.from(ANGLES, (x, i) => Math.max(Math.abs(s[i]! - Math.sin(x)), Math.abs(c[i]! - Math.cos(x)))));
}

test('the arithmetic sin and cos are within 3e-7 of Math.sin and Math.cos over [-100, 100]', async () => {
  await cpuBackend.init();
  const x = tf.tensor1d(ANGLES);
  const error = await trigError(preciseSine(x, 0), preciseSine(x, 1));
  assert.ok(error < 3e-7, `largest error ${error}`);
  x.dispose();
});

gpu('on WebGPU, tf.sin and tf.cos are that accurate too, and so is their gradient', async () => {
  await webgpuBackend.init();
  const x = tf.tensor1d(ANGLES);
  assert.ok((await trigError(tf.sin(x), tf.cos(x))) < 3e-7);
  const slope = await tf.grad((t: tf.Tensor) => tf.sum(tf.sin(t)))(x).data();
  assert.ok(ANGLES.every((a, i) => Math.abs(slope[i]! - Math.cos(a)) < 3e-7), 'd sin = cos');
  x.dispose();
  await webgpuBackend.release();
});

gpu('on WebGPU, padding a rank-6 tensor (dilated grouped kernels do) gives what cpu gives', async () => {
  const shape = [3, 1, 2, 1, 2, 4];
  const paddings: [number, number][] = [[0, 0], [1, 2], [0, 0], [0, 1], [0, 0], [2, 0]];
  const padded = async () => {
    const result = tf.pad(tf.tensor(sample(shape, 11), shape), paddings, 0.5);
    return { shape: result.shape, values: await result.data() };
  };
  await cpuBackend.init();
  const want = await padded();
  await webgpuBackend.init();
  const got = await padded();
  assert.equal(got.shape, want.shape);
  assert.is(tensorMismatch(got.values, want.values, 0), undefined);
  await webgpuBackend.release();
});

test.run();
