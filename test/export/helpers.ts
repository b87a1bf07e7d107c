/**
 * Material for the export tests: a run directory for any spec (its network's weights initialised and
 * then perturbed, so batch-norm statistics and biases are not the identity), the exported model's
 * predictions from a child process that imports only TensorFlow.js or onnxruntime-node, and gnet's own.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fileHost } from '../../cli/host.js';
import { compileForTraining, loadTrainedRun, snapshotOf } from '../../cli/commands/model.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { writeModel } from '../../runtime/train/export.js';
import { createRun, runPaths } from '../../runtime/train/run-dir.js';
import { tempDir } from '../data/helpers.js';

export { tempDir };

const ROOT = new URL('../..', import.meta.url).pathname;

/** A finished run of `network` in `file` (a path under the repository, with `params` overridden) whose model holds perturbed initial weights. */
export async function makeRun(file: string, network?: string, params: Readonly<Record<string, number>> = {}, seed = 3): Promise<string> {
  const outcome = await compileForTraining({ entry: file, network, params: new Map(Object.entries(params)) }, fileHost);
  if (!outcome.ok) throw new Error(`${file} does not compile: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  const { module } = outcome.spec.model;
  const meta = module.meta;
  const config = resolveConfig((meta.training ?? {}) as never, { data: 'synthetic-cells:8' }, meta.network);
  const dir = join(tempDir('export-run'), meta.network);
  createRun(dir, { format: 'gnet-run', version: 1, createdAt: 'now', spec: { file, network: meta.network, params }, backend: 'cpu', train: config } as never, snapshotOf(file, outcome.spec.sources));
  const weights = module.createWeights(seed);
  let n = seed;
  for (const [name, w] of Object.entries(weights)) {
    const perturb = (min: number, max: number) => w.assign(tf.randomUniform(w.shape, min, max, 'float32', n++));
    if (name.endsWith('/moving_mean') || name.endsWith('/beta') || name.endsWith('/bias')) perturb(-0.3, 0.3);
    else if (name.endsWith('/moving_variance') || name.endsWith('/gamma')) perturb(0.5, 1.5);
  }
  await writeModel(runPaths(dir).model, { meta, source: outcome.spec.source, deployed: false }, weights, {});
  tf.dispose(Object.values(weights));
  return dir;
}

export interface Prediction {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export type Inputs = Readonly<Record<string, { readonly shape: readonly number[]; readonly values: Float32Array }>>;

/** Images in [0, 1] for every input of the run's network, `batch` of each. */
export async function randomInputs(dir: string, batch: number, seed = 11): Promise<Inputs> {
  const run = await loadTrainedRun(dir, 'cpu');
  if ('failed' in run) throw new Error('run does not load');
  tf.dispose(Object.values(run.weights));
  return Object.fromEntries(
    run.spec.model.module.meta.inputs.map((input, i) => {
      const shape = [batch, ...input.shape];
      const x = tf.randomUniform(shape, 0, 1, 'float32', seed + i);
      const values = x.dataSync() as Float32Array;
      x.dispose();
      return [input.name, { shape, values }];
    }),
  );
}

/** What gnet computes for `inputs` with the run's trained network (the forward pass `gnet predict` runs), by output. */
export async function gnetOutputs(dir: string, inputs: Inputs): Promise<Record<string, Prediction>> {
  const run = await loadTrainedRun(dir, 'cpu');
  if ('failed' in run) throw new Error('run does not load');
  const { module } = run.spec.model;
  const xs = Object.fromEntries(Object.entries(inputs).map(([name, x]) => [name, tf.tensor(x.values, [...x.shape])]));
  const outputs = module.forward(run.weights, xs as never, { training: false });
  const result = Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, { shape: t.shape, values: Array.from(t.dataSync()) }]));
  tf.dispose([...Object.values(xs), ...Object.values(outputs), ...Object.values(run.weights)]);
  return result;
}

/**
 * Runs test/export/<script> on `model` in a child process that imports only TensorFlow.js or
 * onnxruntime-node; returns its outputs by name, and its stderr.
 */
export function loadElsewhere(script: 'load-graph-model.mjs' | 'run-onnx-model.mjs', model: string, inputs: Inputs): { outputs: Record<string, Prediction>; stderr: string } {
  const file = join(tempDir('export-input'), 'inputs.json');
  writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(inputs).map(([name, x]) => [name, { shape: x.shape, values: Array.from(x.values) }]))));
  const child = spawnSync(process.execPath, [join(ROOT, 'test/export', script), model, file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (child.status !== 0) throw new Error(`${script} failed (${child.status}): ${child.stderr}`);
  const printed = JSON.parse(child.stdout) as { outputs: Prediction[]; names: string[] };
  return { outputs: Object.fromEntries(printed.names.map((name, i) => [name, printed.outputs[i]!])), stderr: child.stderr };
}

/** max |a − b| / max |b|: the largest difference relative to the reference's scale. */
export function relativeError(a: Prediction, b: Prediction): number {
  if (a.shape.join() !== b.shape.join()) return Infinity;
  let difference = 0;
  let scale = 0;
  b.values.forEach((v, i) => {
    difference = Math.max(difference, Math.abs(a.values[i]! - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return difference / Math.max(scale, 1e-12);
}
