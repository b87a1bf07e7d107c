/**
 * wasm (XNNPACK) against cpu, for networks using every built-in block; and tfjs-node / tfjs-node-gpu
 * where they are installed (skipped, with the reason, where not).
 */
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GnetBackend } from '../../backends/backend.js';
import { cpuBackend } from '../../backends/cpu.js';
import { BACKENDS } from '../../backends/index.js';
import { cpuRuns, differences, runNetwork, type Run } from './support/equivalence.js';
import { compileNetworks } from './support/models.js';

const networks = await compileNetworks();
let reference = new Map<string, Run>();

test.before(async () => {
  reference = await cpuRuns(networks);
});

const TESTED = ['wasm', 'node', 'cuda'] as const;

// Released only at the end: the runtime caches constant tensors on the backend that first made them
// (runtime/gauss/constants.ts) and later backends take them over, so none may be freed in between.
test.after(async () => {
  for (const name of TESTED) await BACKENDS[name]!.release();
  await cpuBackend.release();
});

async function equivalenceTest(backend: GnetBackend): Promise<void> {
  const probe = await backend.probe();
  if (!probe.available) console.log(`skipping the ${backend.name} equivalence test: ${probe.reason}`);
  (probe.available ? test : test.skip)(`${backend.name}: outputs, gradients and ten-step losses match cpu for every network`, async () => {
    await backend.init();
    const problems: string[] = [];
    for (const network of networks) problems.push(...differences(network.name, await runNetwork(network), reference.get(network.name)!));
    assert.is(tf.getBackend(), (await backend.describe()).name);
    assert.equal(problems, [], `${backend.name} differs from cpu:\n${problems.join('\n')}`);
  });
}

for (const name of TESTED) await equivalenceTest(BACKENDS[name]!);

test.run();
