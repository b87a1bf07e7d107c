/**
 * Equivalence of the two targets: the same network compiled to TypeScript and to PyTorch, on the same
 * weights (the TypeScript module's createWeights, with biases and batch-norm statistics made random so
 * they matter) and inputs, gives the same outputs (relative error ≤ 1e-4 of the largest magnitude),
 * the same gradient of a fixed scalar loss Σ output · r for every trainable weight (≤ 1e-3), and in
 * training mode the same moved batch-norm statistics. tfjs runs on its cpu backend (the reference);
 * torch runs in one harness process for every case.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { validInputSizes } from '../../compiler/analysis/index.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import type { IRGraph } from '../../compiler/ir/ir.js';
import { withInputShape } from '../../cli/analyze.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { readTensors, writeTensors, type NamedArray } from '../../runtime/torch/tensor-file.js';
import { analysed, generate, type Network } from '../codegen/helpers.js';
import { runHarness, torchOutDir, writeTorchModule, type HarnessJob } from './helpers.js';

export const OUTPUT_TOLERANCE = 1e-4;
export const GRADIENT_TOLERANCE = 1e-3;
const STATE = { seed: 11, epoch: 2, step: 3 };
const BATCH = 2;

/** The network with its first input shrunk to a valid size near `side` (kept when already that small). */
export function shrunk(network: Network, side: number): Network {
  const input = network.graph.inputs[0]!;
  const spatial = input.shape.slice(0, -1);
  if (input.shape.length < 3 || spatial.every((n) => n <= side)) return network;
  const sizes = validInputSizes(network.graph, side)!;
  const size = sizes.fits ? sizes.requested : (sizes.below ?? sizes.above);
  // Images and volumes alike: the spatial axes shrunk, the channels kept.
  return size ? analysed(withInputShape(network.graph, [...size, input.shape.at(-1)!]), network.sources) : network;
}

/** The same network with every dropout rate 0: its random masks differ between engines by design. */
export function withoutDropout(network: Network): Network {
  const graph: IRGraph = { ...network.graph, nodes: network.graph.nodes.map((n) => (n.op === 'dropout' ? { ...n, attrs: { ...n.attrs, rate: 0 } } : n)) };
  return analysed(graph, network.sources);
}

export interface Case {
  readonly label: string;
  readonly network: Network;
  readonly training: boolean;
  /** Examples per batch (default 2). */
  readonly batch?: number;
}

interface Expected {
  readonly outputs: Map<string, NamedArray>;
  readonly grads: Map<string, NamedArray>;
  readonly moved: Map<string, NamedArray>;
}

export interface Prepared {
  readonly label: string;
  readonly out: string;
  readonly expected: Expected;
}

const named = async (t: tf.Tensor): Promise<NamedArray> => ({ shape: t.shape, values: Float32Array.from(await t.data()) });

/** Random values for the weights the initialisers leave constant (biases, batch norm), so they are tested too. */
function enliven(weights: Record<string, tf.Variable>, meta: { weights: readonly { name: string; init: { kind: string } }[] }, seed: number): void {
  meta.weights.forEach((w, i) => {
    const v = weights[w.name]!;
    const kind = w.init.kind;
    if (kind !== 'zeros' && kind !== 'ones') return;
    const positive = w.name.endsWith('/moving_variance') || w.name.endsWith('/gamma');
    v.assign(positive ? tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed + i) : tf.randomNormal(v.shape, 0, 0.3, 'float32', seed + i));
  });
}

/** Runs one case on tfjs cpu and writes its files for the harness. */
async function prepare(dir: string, c: Case, index: number): Promise<{ job: HarnessJob; prepared: Prepared }> {
  const module = await importGenerated(transpileModule(generate(c.network)));
  const weights = module.createWeights(index + 1) as Record<string, tf.Variable>;
  enliven(weights, module.meta, 1000 * (index + 1));
  const base = join(dir, `case${index}`);
  const weightFile = `${base}-weights.bin`;
  writeTensors(weightFile, new Map(await Promise.all(module.meta.weights.map(async (w) => [w.name, await named(weights[w.name]!)] as const))));
  const inputs: Record<string, tf.Tensor> = Object.fromEntries(
    c.network.graph.inputs.map((input, i) => [input.name, tf.randomNormal([c.batch ?? BATCH, ...input.shape], 0, 1, 'float32', 7 * index + i)]),
  );
  const r: Record<string, tf.Tensor> = Object.fromEntries(
    c.network.graph.outputs.map((o, i) => [o.name, tf.randomUniform([c.batch ?? BATCH, ...c.network.analysis.rows[o.node]!.shape!], -1, 1, 'float32', 13 * index + i)]),
  );
  const inputFile = `${base}-inputs.bin`;
  writeTensors(
    inputFile,
    new Map([
      ...(await Promise.all(Object.entries(inputs).map(async ([name, t]) => [name, await named(t)] as const))),
      ...(await Promise.all(Object.entries(r).map(async ([name, t]) => [`loss:${name}`, await named(t)] as const))),
    ]),
  );
  const trainable = module.meta.weights.filter((w) => w.trainable);
  let outputs: Record<string, tf.Tensor> = {};
  const { value, grads } = tf.variableGrads(() => {
    outputs = module.forward(weights, inputs, { training: c.training, state: STATE });
    Object.values(outputs).forEach((t) => tf.keep(t));
    return tf.addN(Object.entries(outputs).map(([name, t]) => tf.sum(tf.mul(t, r[name]!)))) as tf.Scalar;
  }, trainable.map((w) => weights[w.name]!));
  const expected: Expected = {
    outputs: new Map(await Promise.all(Object.entries(outputs).map(async ([name, t]) => [name, await named(t)] as const))),
    grads: new Map(await Promise.all(trainable.map(async (w) => [w.name, await named(grads[weights[w.name]!.name]!)] as const))),
    moved: new Map(await Promise.all(module.meta.weights.filter((w) => !w.trainable).map(async (w) => [w.name, await named(weights[w.name]!)] as const))),
  };
  tf.dispose([value, grads, outputs, inputs, r, weights]);
  // A folder per case: networks of different cases may share a name.
  const modulePath = writeTorchModule(mkdirSync(`${base}-module`, { recursive: true })!, c.network);
  const out = `${base}-out.bin`;
  return { job: { module: modulePath, weights: weightFile, inputs: inputFile, out, training: c.training, state: STATE }, prepared: { label: c.label, out, expected } };
}

/** Every case run on tfjs, then all of them in one harness process. */
export async function prepareAll(cases: readonly Case[]): Promise<Prepared[]> {
  await tf.setBackend('cpu');
  const dir = torchOutDir();
  const jobs: HarnessJob[] = [];
  const prepared: Prepared[] = [];
  for (const [i, c] of cases.entries()) {
    const p = await prepare(dir, c, i);
    jobs.push(p.job);
    prepared.push(p.prepared);
  }
  runHarness(dir, jobs);
  return prepared;
}

const largest = (a: NamedArray): number => a.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** max |got − want| / max(max |want|, floor) (the plain difference when both are 0). */
export function relativeError(got: NamedArray, want: NamedArray, floor = 0): number {
  let diff = 0;
  for (let i = 0; i < want.values.length; i++) diff = Math.max(diff, Math.abs(got.values[i]! - want.values[i]!));
  const scale = Math.max(largest(want), floor);
  return scale === 0 ? diff : diff / scale;
}

/**
 * A gradient that is zero in exact arithmetic (a bias right before batch norm in training mode) is
 * rounding noise in both engines; gradients are measured against at least this share of the case's
 * largest gradient.
 */
const GRADIENT_FLOOR = 1e-3;

export interface Comparison {
  readonly error?: string;
  /** What exceeds its tolerance, one line each. */
  readonly problems: string[];
  readonly worstOutput: number;
  readonly worstGradient: number;
  readonly compared: number;
}

/** The harness's results for one case against tfjs'. */
export function compare(p: Prepared): Comparison {
  const { header, arrays } = readTensors(p.out);
  if (typeof header.error === 'string') return { error: `${header.error}\n${String(header.trace ?? '')}`, problems: [], worstOutput: NaN, worstGradient: NaN, compared: 0 };
  const problems: string[] = [];
  let [worstOutput, worstGradient, compared] = [0, 0, 0];
  const check = (kind: string, want: Map<string, NamedArray>, prefix: string, tolerance: number, floor = 0): number => {
    let worst = 0;
    for (const [name, expected] of want) {
      const got = arrays.get(`${prefix}${name}`);
      if (!got) {
        problems.push(`${kind} ${name}: missing from torch's results`);
        continue;
      }
      if (got.shape.join() !== expected.shape.join()) {
        problems.push(`${kind} ${name}: torch shape [${got.shape}] ≠ tfjs [${expected.shape}]`);
        continue;
      }
      const error = relativeError(got, expected, floor);
      compared++;
      worst = Math.max(worst, error);
      if (!(error <= tolerance)) problems.push(`${kind} ${name}: relative error ${error.toExponential(2)} > ${tolerance}`);
    }
    return worst;
  };
  worstOutput = Math.max(check('output', p.expected.outputs, 'output:', OUTPUT_TOLERANCE), check('statistic', p.expected.moved, 'weight:', OUTPUT_TOLERANCE));
  const gradientScale = Math.max(0, ...[...p.expected.grads.values()].map(largest));
  worstGradient = check('gradient', p.expected.grads, 'grad:', GRADIENT_TOLERANCE, GRADIENT_FLOOR * gradientScale);
  return { problems, worstOutput, worstGradient, compared };
}
