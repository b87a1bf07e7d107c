/** The WebGPU backend in Node (Dawn): probe, init, describe, release, asynchronous reads, process exit. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { GnetError } from '../../runtime/errors.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();
const FIXTURE = fileURLToPath(new URL('./fixtures/probe-and-exit.ts', import.meta.url));

/** Runs the fixture in a child; a process Dawn kept alive would hit the timeout and fail the test. */
function inChild(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { encoding: 'utf8', timeout: 45_000 });
  assert.is(child.status, 0, child.stderr);
  return { ...JSON.parse(child.stdout.trim().split('\n').at(-1)!), stderr: child.stderr };
}

const isGnetError = (code: string) => (error: unknown) => error instanceof GnetError && error.code === code;

gpu('probing finds the adapter, registers nothing, and the process still ends', () => {
  const { probe, factories, active, stderr } = inChild();
  assert.ok(probe.available, probe.reason);
  // Dawn's driver warnings go to the probing child's stderr, not to the user's terminal.
  assert.not.match(stderr, /Dawn|artificially reduced|Warning/);
  assert.match(probe.detail, /\((software|hardware) adapter\) via Dawn \(webgpu \d/);
  assert.match(probe.detail, '@tensorflow/tfjs-backend-webgpu 4.22');
  assert.is(probe.software, /\(software adapter\)/.test(probe.detail));
  assert.equal([factories, active], [[], null]);
});

gpu('a process that trains without calling release() ends by itself', () => {
  const { factories, active, sum } = inChild('run');
  assert.equal([factories, active], [['webgpu'], 'webgpu']);
  // A valid 3×3 sum of ones over 2 channels, at 3×3 positions: 3·3·18.
  assert.is(sum, 162);
});

gpu('init activates WebGPU, describe names the adapter, release hands the device back', async () => {
  await webgpuBackend.init();
  assert.is(tf.getBackend(), 'webgpu');
  const info = await webgpuBackend.describe();
  assert.equal([info.name, info.kind], ['webgpu', 'gpu']);
  assert.is(info.software, (await webgpuBackend.probe()).available && /\(software adapter\)/.test(info.detail));
  assert.ok('gpu' in (globalThis.navigator ?? {}), 'navigator.gpu is installed while initialised');
  await webgpuBackend.release();
  assert.is(tf.engine().backendName, null);
  assert.not.ok('gpu' in (globalThis.navigator ?? {}), 'navigator.gpu is gone after release');
});

gpu('after release, init starts a new device that computes correctly', async () => {
  await webgpuBackend.init();
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const product = tf.matMul(x, x, false, true);
  assert.equal(Array.from(await product.data()), [14, 32, 32, 77]);
  tf.dispose([x, product]);
  await webgpuBackend.release();
});

gpu('GPU tensors read asynchronously; dataSync fails with GN0911 and says what to use', async () => {
  await webgpuBackend.init();
  // Small tensors made from JavaScript values stay on the CPU; a matMul result lives on the GPU.
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const product = tf.matMul(x, x);
  assert.throws(() => product.dataSync(), isGnetError('GN0911'));
  assert.throws(() => product.dataSync(), /await tensor\.data\(\)/);
  assert.equal(Array.from(await product.data()), [7, 10, 15, 22]);
  assert.equal(Array.from(product.dataSync()), [7, 10, 15, 22], 'values already read stay readable synchronously');
  tf.dispose([x, product]);
  await webgpuBackend.release();
});

test.run();
