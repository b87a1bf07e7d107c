/**
 * Cross-backend equivalence for networks that together use every built-in block: the same weights
 * and batch give cpu's outputs and gradients (relative error ≤ 1e-4) and, over ten Adam steps,
 * cpu's losses. The page in the browser tests runs the same computation (web/steps.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpuBackend } from '../../../backends/cpu.js';
import { adamLosses, outputsAndGradients, PAGE_SEEDS, syntheticBatch, type Pass } from '../../../web/steps.js';
import { largestLossDifference, passMismatches } from './compare.js';
import type { CompiledNetwork } from './models.js';

export const STEPS = 10;
/** Relative difference allowed between loss curves (measured: about 2e-6 after ten steps). */
export const LOSS_TOLERANCE = 1e-4;

export interface Run {
  readonly pass: Pass;
  readonly losses: number[];
}

/** Outputs, gradients and ten-step losses of `network` on the active backend (the page's seeds and batch). */
export async function runNetwork(network: CompiledNetwork): Promise<Run> {
  const { module } = network;
  const weights = module.createWeights(PAGE_SEEDS.weights);
  const batch = syntheticBatch(module.meta, PAGE_SEEDS.batchSize, PAGE_SEEDS.batch);
  const pass = await outputsAndGradients(module, weights, batch);
  const losses = await adamLosses(module, weights, batch, STEPS);
  tf.dispose([weights, batch.inputs, batch.targets]);
  return { pass, losses };
}

/** The cpu reference for every network, computed on the cpu backend (left active). */
export async function cpuRuns(networks: readonly CompiledNetwork[]): Promise<Map<string, Run>> {
  await cpuBackend.init();
  const runs = new Map<string, Run>();
  for (const network of networks) runs.set(network.name, await runNetwork(network));
  return runs;
}

/** How `got` differs from the cpu run `want`, one line per difference. */
export function differences(name: string, got: Run, want: Run): string[] {
  const problems = passMismatches(got.pass, want.pass).map((p) => `${name}: ${p}`);
  const drift = largestLossDifference(got.losses, want.losses);
  if (!(drift <= LOSS_TOLERANCE)) problems.push(`${name}: losses ${got.losses.join(', ')} vs cpu ${want.losses.join(', ')}`);
  return problems;
}
