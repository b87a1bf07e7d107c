/**
 * Volumes on WebGPU. tfjs-backend-webgpu 4.22 registers the 3-D kernels the runtime calls, and they
 * agree with cpu (Conv3D and both its gradients, the transposed Conv3D, AvgPool3D and its gradient);
 * but its vectorised element-wise shaders do not compile on rank-5 tensors whose last axis is a multiple
 * of 4 (a WGSL error that loses the device, and then keeps Dawn from letting the process exit, so it is
 * not provoked here), and its Select (tf.where, in activation gradients) refuses rank 5. So gnet
 * refuses volume networks on webgpu with GN0879 (test/backends/registry.test.ts). This test checks
 * both halves: when a tfjs release lifts the rank-5 Select limit, it fails and the refusal is due a look.
 */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../backends/cpu.js';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { registerGradients } from '../../runtime/gradients.js';
import { sample } from '../../web/steps.js';
import { tensorMismatch } from './support/compare.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();
await registerGradients();

const volume = (seed: number) => tf.tensor(sample([2, 5, 4, 5, 3], seed), [2, 5, 4, 5, 3]) as tf.Tensor5D;
const kernel = () => tf.tensor(sample([3, 2, 3, 3, 2], 7), [3, 2, 3, 3, 2]) as tf.Tensor5D;

/** The 3-D kernels the runtime calls, forward and gradients (stride 2, 'same' and 'valid'). */
const KERNELS: Record<string, () => tf.Tensor[]> = {
  conv3d: () => tf.grads((x, w) => tf.sum(tf.mul(tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, 'same'), 0.5)))([volume(1), kernel()]),
  conv3dTranspose: () => [tf.conv3dTranspose(tf.tensor(sample([2, 3, 2, 3, 2], 3), [2, 3, 2, 3, 2]) as tf.Tensor5D, kernel(), [2, 5, 4, 5, 3], 2, 'same')],
  avgPool3d: () => tf.grads((x) => tf.avgPool3d(x as tf.Tensor5D, [2, 2, 2], [2, 1, 2], 'valid'))([volume(4)]),
};

async function runAll(): Promise<Float32Array[][]> {
  const results: Float32Array[][] = [];
  for (const f of Object.values(KERNELS)) {
    const tensors = f();
    results.push(await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data()))));
    tf.dispose(tensors);
  }
  return results;
}

gpu('on WebGPU the 3-D kernels equal cpu, while a rank-5 Select fails as the refusal says', async () => {
  await cpuBackend.init();
  const expected = await runAll();
  await webgpuBackend.init();
  try {
    const got = await runAll();
    Object.keys(KERNELS).forEach((name, i) => got[i]!.forEach((values, k) => assert.is(tensorMismatch(values, expected[i]![k]!, 1e-4), undefined, `${name} ${k}`)));
    const [a, b] = [volume(5), volume(6)];
    const condition = tf.greater(a, 0);
    const refused = await Promise.resolve()
      .then(() => tf.where(condition, a, b).data())
      .then(
        () => 'computed',
        (error: Error) => error.message,
      );
    tf.dispose([a, b, condition]);
    assert.match(refused, /Where for rank 5 is not yet supported/);
  } finally {
    await webgpuBackend.release();
  }
  assert.ok(['vec5', 'Select'].every((word) => webgpuBackend.volumes!.includes(word)), 'the refusal names the defects');
});

test.run();
