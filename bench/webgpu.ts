/**
 * WebGPU (Dawn) speed in Node: milliseconds per Adam step of a zoo network, and raw conv2d
 * throughput. On a machine without a GPU this measures Mesa's lavapipe (a CPU rasteriser).
 * Run alone: npx tsx bench/webgpu.ts [spec.gnet]
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { webgpuBackend } from '../backends/webgpu/index.js';
import { fileHost } from '../cli/host.js';
import { compileForTraining } from '../cli/commands/model.js';
import { adamLosses, syntheticBatch } from '../web/steps.js';
import { convMacs, LARGE_CONV, rawConvGflops } from './conv-throughput.js';

const DEFAULT_SPEC = fileURLToPath(new URL('../specs/lenet5.gnet', import.meta.url));
const WARMUP_STEPS = 2;
const TIMED_STEPS = 10;

export interface WebGpuBench {
  /** The adapter, and whether it is a software one. */
  readonly device: string;
  readonly network: string;
  readonly batch: number;
  /** Median wall time of one Adam step (forward, backward, update, loss read back). */
  readonly msPerStep: number;
  /** conv2d forward on LARGE_CONV (batch 8, 64×64×64 → 64, 3×3): 2 · multiply-adds per second. */
  readonly convGflops: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function msPerStep(spec: string, batchSize: number): Promise<{ network: string; ms: number }> {
  const outcome = await compileForTraining({ entry: spec }, fileHost);
  if (!outcome.ok) throw new Error(`${spec} does not compile; run gnet check ${spec}`);
  const { module } = outcome.spec.model;
  await webgpuBackend.init();
  const weights = module.createWeights(1);
  const batch = syntheticBatch(module.meta, batchSize, 1);
  const stamps: number[] = [performance.now()];
  await adamLosses(module, weights, batch, WARMUP_STEPS + TIMED_STEPS, () => stamps.push(performance.now()));
  tf.dispose([weights, batch.inputs, batch.targets]);
  const steps = stamps.slice(1).map((stamp, i) => stamp - stamps[i]!);
  return { network: module.meta.network, ms: median(steps.slice(WARMUP_STEPS)) };
}

export async function benchWebGpu(spec = DEFAULT_SPEC, batchSize = 8): Promise<WebGpuBench> {
  try {
    const step = await msPerStep(spec, batchSize);
    const convGflops = await rawConvGflops('webgpu', LARGE_CONV, 3);
    const device = (await webgpuBackend.describe()).detail;
    return { device, network: step.network, batch: batchSize, msPerStep: step.ms, convGflops };
  } finally {
    await webgpuBackend.release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchWebGpu(process.argv[2]);
  console.log(`webgpu on ${result.device}`);
  console.log(`  ${result.network}, batch ${result.batch}: ${result.msPerStep.toFixed(1)} ms/step (median of ${TIMED_STEPS})`);
  console.log(`  conv2d forward, ${(2 * convMacs(LARGE_CONV) / 1e9).toFixed(2)} GFLOP per call: ${result.convGflops.toFixed(2)} GFLOP/s`);
}
