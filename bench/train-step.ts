/**
 * Training speed of a zoo network on one backend: ms per Adam step at a batch size, images/s,
 * effective GFLOP/s counted from the IR (a step ≈ 3 × forward multiply-adds × 2 FLOP), and the
 * most tensor memory held at once during a step.
 */
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS } from '../backends/index.js';
import { fileHost } from '../cli/host.js';
import { compileForTraining } from '../cli/commands/model.js';
import { adamLosses, syntheticBatch } from '../web/steps.js';

export interface StepFigures {
  readonly backend: string;
  readonly network: string;
  readonly batch: number;
  readonly msPerStep: number;
  readonly imagesPerSecond: number;
  readonly gflops: number;
  readonly peakBytes: number;
}

export const specPath = (name: string) => fileURLToPath(new URL(`../specs/${name}`, import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Assumes `backend` is initialised and active. */
export async function benchTrainStep(backend: string, spec: string, network: string | undefined, batchSize: number, steps = 5): Promise<StepFigures> {
  const outcome = await compileForTraining({ entry: spec, network }, fileHost);
  if (!outcome.ok) throw new Error(`${spec} does not compile; run gnet check ${spec}`);
  const { module } = outcome.spec.model;
  const macs = outcome.spec.analysis.totals.macs;
  const weights = module.createWeights(1);
  const batch = syntheticBatch(module.meta, batchSize, 1);
  const warmup = 1;
  const stamps: number[] = [performance.now()];
  let peakBytes = 0;
  const profile = await tf.profile(() => adamLosses(module, weights, batch, warmup + steps, () => stamps.push(performance.now())));
  peakBytes = profile.peakBytes;
  tf.dispose([Object.values(weights), Object.values(batch.inputs), Object.values(batch.targets)].flat() as tf.Tensor[]);
  const ms = median(stamps.slice(1).map((s, i) => s - stamps[i]!).slice(warmup));
  return {
    backend,
    network: module.meta.network,
    batch: batchSize,
    msPerStep: ms,
    imagesPerSecond: (batchSize * 1000) / ms,
    gflops: (3 * 2 * macs * batchSize) / (ms * 1e6),
    peakBytes,
  };
}

export async function withBackend<T>(name: string, work: () => Promise<T>): Promise<T | null> {
  const backend = (BACKENDS as Record<string, (typeof BACKENDS)[keyof typeof BACKENDS]>)[name];
  if (!backend || !(await backend.probe()).available) return null;
  await backend.init();
  try {
    return await work();
  } finally {
    await backend.release();
  }
}
