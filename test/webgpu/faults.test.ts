/**
 * Bad input and faults: an unknown backend name, a probe that fails half-way or hangs, no GPU
 * driver, a device lost mid-training, running out of GPU memory, a command the GPU rejects.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GnetBackend, ProbeResult } from '../../backends/backend.js';
import { autoSelect, backendNames, selectBackend } from '../../backends/index.js';
import { probeSafely } from '../../backends/probe-safely.js';
import { DeviceWatch } from '../../backends/webgpu/faults.js';
import { activeDevice, webgpuBackend } from '../../backends/webgpu/index.js';
import { adamLosses, syntheticBatch } from '../../web/steps.js';
import { gpuTest } from './support/gpu-test.js';
import { compileNetworks } from './support/models.js';
import { standInDevice } from './support/stand-in-device.js';
import { gnetErrorOf } from '../gnet-error.js';

const gpu = gpuTest();

function fake(name: string, probe: () => Promise<ProbeResult>): GnetBackend & { inits: number } {
  return {
    name,
    inits: 0,
    probe,
    async init() {
      this.inits++;
    },
    describe: async () => ({ name, kind: 'cpu', software: false, detail: 'fake' }),
    release: async () => undefined,
  };
}

/** Gets as far as Dawn's adapter list, then the driver crashes. */
const halfWay = () =>
  fake('webgpu', async () => {
    await new Promise((settle) => setTimeout(settle, 1));
    throw new Error('vkEnumeratePhysicalDevices crashed\n  at native code');
  });

test('an unknown backend name is GN0901 naming every backend gnet has', async () => {
  const error = await gnetErrorOf(() => selectBackend('tpu'));
  assert.is(error.code, 'GN0901');
  assert.ok(['cuda', 'node', 'webgpu', 'wasm', 'cpu'].every((name) => backendNames().includes(name as never)));
  assert.match(error.message, `unknown backend 'tpu'; use one of: auto, ${backendNames().join(', ')}`);
});

test('a probe that throws half-way makes its backend unavailable, with what happened', async () => {
  assert.equal(await probeSafely(halfWay()), {
    available: false,
    reason: 'its probe failed: vkEnumeratePhysicalDevices crashed',
    fix: 'reinstall what the webgpu backend needs, or choose another backend with --backend',
  });
  const webgpu = halfWay();
  const error = await gnetErrorOf(() => selectBackend('webgpu', { webgpu }));
  assert.is(error.code, 'GN0902');
  assert.match(error.message, "backend 'webgpu' is unavailable: its probe failed: vkEnumeratePhysicalDevices crashed");
  assert.is(webgpu.inits, 0);
});

test('auto passes over a backend whose probe throws and takes the next', async () => {
  const wasm = fake('wasm', async () => ({ available: true, detail: 'wasm' }));
  assert.is(await autoSelect(['webgpu', 'wasm'], { webgpu: halfWay(), wasm }), wasm);
});

test('a probe that never settles is reported unavailable after the timeout', async () => {
  const hung = fake('webgpu', () => new Promise<ProbeResult>(() => undefined));
  assert.equal(await probeSafely(hung, 20), {
    available: false,
    reason: 'its probe did not finish within 0.02 s',
    fix: 'check the webgpu driver or package, or choose another backend with --backend',
  });
});

test('with no Vulkan driver, WebGPU is unavailable and --backend webgpu says how to install one', () => {
  const script = fileURLToPath(new URL('./fixtures/probe-without-driver.ts', import.meta.url));
  const env = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' };
  const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env, timeout: 45_000, stdio: ['ignore', 'pipe', 'ignore'] });
  const { probe, selected } = JSON.parse(output.trim().split('\n').at(-1)!);
  assert.is(probe.available, false);
  assert.match(probe.reason, 'WebGPU found no GPU adapter (on Linux, Dawn needs a Vulkan driver)');
  assert.match(selected, /^GN0910: backend 'webgpu' is unavailable: WebGPU found no GPU adapter .*; install .*\.ci\/install-webgpu\.sh/);
});

const LIMITS = { maxBufferSize: 2 ** 32 - 1, maxStorageBufferBindingSize: 2 ** 27 };
const watchOf = (device: GPUDevice) => new DeviceWatch(device, { adapterName: 'Test GPU', bytesInUse: () => 3 * 2 ** 20 });

test('a device lost to the driver fails the next read with GN0912, naming the GPU and how to continue', async () => {
  const standIn = standInDevice(LIMITS);
  const watch = watchOf(standIn.device);
  watch.check();
  const finished = watch.guard(Promise.resolve('read before the loss'));
  const stuck = watch.guard(new Promise<never>(() => undefined));
  standIn.lose('unknown', 'GPU hung (TDR)');
  const lost = await watch.lost;
  assert.is(await finished, 'read before the loss');
  assert.is(await stuck.catch((error: unknown) => error), lost, 'a read that never returns fails with the loss');
  assert.is(lost.code, 'GN0912');
  assert.match(lost.message, 'the GPU device Test GPU was lost (GPU hung (TDR)); its tensors are gone');
  assert.match(lost.message, 'gnet train --resume');
  assert.throws(() => watch.check(), (e: unknown) => e === lost);
  assert.is(await watch.explain(new Error('')), lost);
});

test('a buffer over the device limit is refused at once with the size asked for and the limit', async () => {
  const standIn = standInDevice(LIMITS);
  const watch = watchOf(standIn.device);
  const tensorBytes = 200 * 2 ** 20;
  const error = await gnetErrorOf(() => standIn.device.createBuffer({ size: tensorBytes, usage: 0x80 | 0x4 }));
  assert.is(error.code, 'GN0913');
  assert.match(error.message, 'a GPU buffer of 200 MiB was asked for, but Test GPU allows at most 128 MiB per tensor (3 MiB already allocated by TensorFlow.js); use a smaller batch');
  assert.equal(standIn.created, [], 'nothing was allocated');
  // A staging buffer (no STORAGE usage) is held only to maxBufferSize.
  standIn.device.createBuffer({ size: tensorBytes, usage: 0x1 | 0x8 });
  assert.equal(standIn.created, [tensorBytes]);
  watch.check();
});

test('an allocation the GPU cannot satisfy fails the next read with GN0913 and its size', async () => {
  const standIn = standInDevice(LIMITS);
  const watch = watchOf(standIn.device);
  standIn.failNextAllocation();
  standIn.device.createBuffer({ size: 96 * 2 ** 20, usage: 0x80 });
  await new Promise((settle) => setTimeout(settle, 0));
  const error = await gnetErrorOf(() => watch.check());
  assert.is(error.code, 'GN0913');
  assert.match(error.message, 'allocating 96 MiB on the GPU failed: it is out of memory (3 MiB already allocated by TensorFlow.js)');
});

test('a command the GPU rejects fails the next read with GN0914 instead of silent zeros', async () => {
  const standIn = standInDevice(LIMITS);
  const watch = watchOf(standIn.device);
  standIn.raiseUncaptured('GPUValidationError', 'Binding size (167772160) is larger than the maximum (134217728).\n - While calling CreateBindGroup');
  const error = await gnetErrorOf(() => watch.check());
  assert.is(error.code, 'GN0914');
  assert.match(error.message, 'the GPU Test GPU rejected a command (Binding size (167772160) is larger than the maximum (134217728).); rerun with --backend wasm');
  standIn.raiseUncaptured('GPUOutOfMemoryError', 'later error');
  assert.is(await gnetErrorOf(() => watch.check()), error, 'the first fault is the one reported');
});

gpu('a tensor larger than the GPU allows fails with GN0913 and the size; the backend keeps working', async () => {
  await webgpuBackend.init();
  const limit = activeDevice()!.device.limits.maxStorageBufferBindingSize;
  const elements = limit / 4 + 2 ** 18; // one MiB over the limit
  const error = await gnetErrorOf(() => tf.fill([elements], 1));
  assert.is(error.code, 'GN0913');
  assert.match(error.message, `a GPU buffer of ${(limit + 2 ** 20) / 2 ** 20} MiB was asked for`);
  assert.match(error.message, `allows at most ${limit / 2 ** 20} MiB per tensor`);
  const product = tf.matMul(tf.ones([4, 4]), tf.ones([4, 4]));
  assert.is((await product.data())[0], 4);
  await webgpuBackend.release();
});

gpu('a GPU device lost mid-training stops training with GN0912 at the next step', async () => {
  const twins = (await compileNetworks()).find((n) => n.name === 'Twins')!.module;
  await webgpuBackend.init();
  const weights = twins.createWeights(1);
  const batch = syntheticBatch(twins.meta, 2, 1);
  const seen: number[] = [];
  const error = await gnetErrorOf(() =>
    adamLosses(twins, weights, batch, 10, (step, loss) => {
      seen.push(loss);
      if (step === 2) activeDevice()!.device.destroy();
    }),
  );
  assert.is(error.code, 'GN0912');
  assert.match(error.message, /^GN0912: the GPU device .+ was released while tensors still lived on it; its tensors are gone: restart the run/);
  assert.is(seen.length, 3);
  assert.ok(seen.every(Number.isFinite));
  await webgpuBackend.release();
  await webgpuBackend.init();
  assert.is((await tf.sum(tf.matMul(tf.ones([8, 8]), tf.ones([8, 8]))).data())[0], 512, 'a new device works after the lost one');
  await webgpuBackend.release();
});

test.run();
