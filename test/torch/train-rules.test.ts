/**
 * The torch trainer's update rules against the TensorFlow.js runtime's: every optimiser (SGD with and
 * without momentum and Nesterov, RMSProp plain and centred, Adam, Adagrad, AdaDelta), with weight
 * decay and clipping by value and by global norm, over five steps from the same weights and gradients;
 * then the slots saved in tfjs' order load back into Python. Schedules: step, cosine (standard decay)
 * and cosine_paper (the paper's rule as written) against their formulas.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZERS, type OptimizerConfig } from '../../runtime/train/config.js';
import { createOptimizer } from '../../runtime/train/optimizers.js';
import { learningRateAt } from '../../runtime/train/schedules.js';
import { torchRuntimeDir } from '../../runtime/torch/package.js';
import { useCpu } from '../train/fixtures.js';
import { PYTHON, torchTestsRun } from './helpers.js';

const runs = torchTestsRun('train-rules.test.ts');
await useCpu();

const SHAPES = [[3, 4], [4]] as const;
const STEPS = 5;

function values(count: number, seed: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * scale;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const initial = SHAPES.map((shape, i) => values(size(shape), 7 + i, 2));
const gradients = Array.from({ length: STEPS }, (_, step) => SHAPES.map((shape, i) => values(size(shape), 100 + 10 * step + i, 3)));

interface Case {
  readonly label: string;
  readonly optimizer: OptimizerConfig;
  readonly weightDecay: number;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
}

const CASES: Case[] = [
  { label: 'sgd', optimizer: { name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1 }, weightDecay: 0.01, clipNorm: null, clipValue: null },
  { label: 'sgd momentum', optimizer: { name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1, momentum: 0.9 }, weightDecay: 0, clipNorm: 0.5, clipValue: null },
  { label: 'sgd nesterov', optimizer: { name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1, momentum: 0.8, nesterov: true }, weightDecay: 0.01, clipNorm: null, clipValue: 0.7 },
  { label: 'rmsprop', optimizer: { name: 'rmsprop', ...OPTIMIZERS.rmsprop, lr: 0.01 }, weightDecay: 0.01, clipNorm: 1, clipValue: null },
  { label: 'rmsprop centred momentum', optimizer: { name: 'rmsprop', ...OPTIMIZERS.rmsprop, lr: 0.01, momentum: 0.5, centered: true }, weightDecay: 0, clipNorm: null, clipValue: null },
  { label: 'adam', optimizer: { name: 'adam', ...OPTIMIZERS.adam, lr: 0.01 }, weightDecay: 0.01, clipNorm: 2, clipValue: null },
  { label: 'adagrad', optimizer: { name: 'adagrad', ...OPTIMIZERS.adagrad, lr: 0.1 }, weightDecay: 0, clipNorm: null, clipValue: 1 },
  { label: 'adadelta', optimizer: { name: 'adadelta', ...OPTIMIZERS.adadelta, lr: 1 }, weightDecay: 0.01, clipNorm: null, clipValue: null },
];

/** Five tfjs updates; weights then slots (tfjs order), flat. */
async function tfjsUpdates(c: Case): Promise<{ weights: number[][]; slots: number[][] }> {
  const variables = SHAPES.map((shape, i) => ({ name: `w${i}`, variable: tf.variable(tf.tensor(initial[i]!, [...shape])), decays: shape.length >= 2 }));
  const optimizer = createOptimizer(c.optimizer, c);
  for (const step of gradients) {
    const grads = Object.fromEntries(step.map((g, i) => [`w${i}`, tf.tensor(g, [...SHAPES[i]!])]));
    optimizer.apply(grads, variables);
    tf.dispose(Object.values(grads));
  }
  const state = await optimizer.saveState(variables);
  const slots = await Promise.all(state.map(async (s) => Array.from(await s.tensor.data())));
  return { weights: await Promise.all(variables.map(async (v) => Array.from(await v.variable.data()))), slots };
}

const PY = String.raw`
import json, sys, torch
from gnet_torch.optim import Optimizer
job = json.load(sys.stdin)
params = [(f'w{i}', torch.tensor(w, dtype=torch.float32).reshape(s), len(s) >= 2) for i, (w, s) in enumerate(zip(job['initial'], job['shapes']))]
opt = Optimizer(job['optimizer'], job['reg'], params)
for step in job['gradients']:
    opt.step([torch.tensor(g, dtype=torch.float32).reshape(s) for g, s in zip(step, job['shapes'])])
state = opt.state()
again = Optimizer(job['optimizer'], job['reg'], params)
again.load_state(state)
print(json.dumps({'weights': [p.reshape(-1).tolist() for _, p, _ in params], 'slots': [t.reshape(-1).tolist() for _, t in state],
                  'names': [n for n, _ in state], 'reloaded': [t.reshape(-1).tolist() for _, t in again.state()]}))
`;

function pythonUpdates(c: Case) {
  const job = { optimizer: c.optimizer, reg: { weightDecay: c.weightDecay, clipNorm: c.clipNorm, clipValue: c.clipValue }, initial, gradients, shapes: SHAPES };
  const result = spawnSync(PYTHON, ['-c', PY], { input: JSON.stringify(job), encoding: 'utf8', cwd: join(torchRuntimeDir(), '..') });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { weights: number[][]; slots: number[][]; names: string[]; reloaded: number[][] };
}

function close(actual: number[][], expected: number[][], label: string): void {
  assert.is(actual.length, expected.length, `${label}: count`);
  actual.forEach((a, i) => a.forEach((v, j) => {
    const e = expected[i]![j]!;
    assert.ok(Math.abs(v - e) <= 1e-5 * Math.max(1, Math.abs(e)), `${label}[${i}][${j}]: ${v} vs ${e}`);
  }));
}

if (runs) {
  for (const c of CASES) {
    test(`${c.label}: five updates and the saved slots equal tfjs'`, async () => {
      const [expected, actual] = [await tfjsUpdates(c), pythonUpdates(c)];
      close(actual.weights, expected.weights, `${c.label} weights`);
      close(actual.slots, expected.slots, `${c.label} slots`);
      close(actual.reloaded, actual.slots, `${c.label} reloaded`);
      assert.is(actual.names[0], 'iterations');
    });
  }

  test('schedules: step as tfjs computes it; cosine decays to alpha·lr; cosine_paper is the paper formula', () => {
    const points = [[0, 0], [12, 2], [25, 5], [49, 9], [70, 12]] as const;
    const schedules = [{ kind: 'step', every: 3, factor: 0.5 }, { kind: 'cosine', alpha: 0.1, steps: null }, { kind: 'cosine_paper', alpha: 0.1, steps: null }];
    const script = `import json, sys\nfrom gnet_torch.schedules import learning_rate_at\njob = json.load(sys.stdin)\nprint(json.dumps([[learning_rate_at(s, 0.1, k, e, 50) for k, e in job['points']] for s in job['schedules']]))`;
    const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ points, schedules }), encoding: 'utf8', cwd: join(torchRuntimeDir(), '..') });
    const [stepped, cosine, paper] = JSON.parse(result.stdout) as number[][];
    points.forEach(([step, epoch], i) => {
      assert.ok(Math.abs(stepped![i]! - learningRateAt({ kind: 'step', every: 3, factor: 0.5 }, 0.1, { step, epoch, totalSteps: 50 })) < 1e-12);
      const k = Math.min(step, 50);
      assert.ok(Math.abs(cosine![i]! - 0.1 * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * k) / 50)))) < 1e-12, `cosine at ${step}`);
      assert.ok(Math.abs(paper![i]! - 0.1 * (0.1 + 0.9 * (1 + Math.cos((2 * Math.PI * k) / 50)))) < 1e-12, `cosine_paper at ${step}`);
    });
    assert.ok(Math.abs(cosine![4]! - 0.01) < 1e-12, 'cosine ends at alpha · lr');
  });
}

test.run();
