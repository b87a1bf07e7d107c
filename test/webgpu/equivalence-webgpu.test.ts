/** WebGPU (Dawn; lavapipe on machines without a GPU) against cpu, for networks using every built-in block. */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../backends/cpu.js';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { BLOCKS } from '../../compiler/blocks/index.js';
import { cpuRuns, differences, runNetwork, type Run } from './support/equivalence.js';
import { gpuTest } from './support/gpu-test.js';
import { compileNetworks } from './support/models.js';

const gpu = gpuTest();
const networks = await compileNetworks();
let reference = new Map<string, Run>();

test.before(async () => {
  reference = await cpuRuns(networks);
});

test.after(async () => {
  await webgpuBackend.release();
  await cpuBackend.release();
});

test('the fixtures use every built-in block', () => {
  const used = new Set(networks.flatMap((n) => n.ops));
  assert.equal(Object.keys(BLOCKS).filter((kind) => !used.has(kind)), []);
});

test('the cpu reference trains: every loss falls over ten steps', () => {
  for (const [name, { losses }] of reference) assert.ok(losses.at(-1)! < losses[0]!, `${name}: ${losses.join(', ')}`);
});

gpu('webgpu: outputs, gradients and ten-step losses match cpu for every network', async () => {
  await webgpuBackend.init();
  const problems: string[] = [];
  for (const network of networks) problems.push(...differences(network.name, await runNetwork(network), reference.get(network.name)!));
  assert.is(tf.getBackend(), 'webgpu');
  assert.equal(problems, [], `webgpu differs from cpu:\n${problems.join('\n')}`);
});

test.run();
