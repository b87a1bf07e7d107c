/** Optimiser wrappers and schedules against the update rules written out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZERS, type OptimizerConfig, type TrainConfig } from '../../runtime/train/config.js';
import { createOptimizer, type NamedVariable } from '../../runtime/train/optimizers.js';
import { learningRateAt } from '../../runtime/train/schedules.js';
import { useCpu } from './cpu.js';

await useCpu();

const NONE: Pick<TrainConfig, 'weightDecay' | 'clipNorm' | 'clipValue'> = { weightDecay: 0, clipNorm: null, clipValue: null };
const W0 = [0.5, -1, 2];
const G = [0.3, -0.2, 0.1];

function close(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  assert.is(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= tolerance * Math.max(1, Math.abs(e)), `[${i}] ${actual[i]} ≠ ${e}`));
}

/** Runs `steps` updates with the fixed gradient G on a fresh variable and returns its values. */
function run(config: OptimizerConfig, steps: number, regularisation = NONE, decays = true, gradient = G): number[] {
  const variable = tf.variable(tf.tensor1d(W0));
  const named: NamedVariable[] = [{ name: 'w', variable, decays }];
  const optimizer = createOptimizer(config, regularisation);
  for (let i = 0; i < steps; i++) tf.tidy(() => optimizer.apply({ w: tf.tensor1d(gradient) }, named));
  const values = Array.from(variable.dataSync());
  optimizer.dispose();
  variable.dispose();
  return values;
}

const zip = (f: (w: number, g: number) => number) => W0.map((w, i) => f(w, G[i]!));

test('sgd, and sgd with momentum over two steps', () => {
  close(run({ name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1 }, 1), zip((w, g) => w - 0.1 * g));
  // v1 = g, v2 = 0.9·g + g; w2 = w − lr·(v1 + v2).
  close(run({ name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1, momentum: 0.9 }, 2), zip((w, g) => w - 0.1 * (g + 1.9 * g)));
});

test('adam: one bias-corrected step', () => {
  const { beta1, beta2, epsilon } = OPTIMIZERS.adam;
  const step = (g: number) => {
    const m = ((1 - beta1) * g) / (1 - beta1);
    const v = ((1 - beta2) * g * g) / (1 - beta2);
    return (0.01 * m) / (Math.sqrt(v) + epsilon);
  };
  close(run({ name: 'adam', ...OPTIMIZERS.adam, lr: 0.01 }, 1), zip((w, g) => w - step(g)));
});

test('rmsprop and adagrad: one step each', () => {
  const { rho, epsilon } = OPTIMIZERS.rmsprop;
  close(run({ name: 'rmsprop', ...OPTIMIZERS.rmsprop, lr: 0.01 }, 1), zip((w, g) => w - (0.01 * g) / Math.sqrt((1 - rho) * g * g + epsilon)), 1e-5);
  const { initial_accumulator } = OPTIMIZERS.adagrad;
  close(run({ name: 'adagrad', ...OPTIMIZERS.adagrad, lr: 0.1 }, 1), zip((w, g) => w - (0.1 * g) / Math.sqrt(initial_accumulator + g * g)), 1e-5);
});

test('adadelta as Zeiler and Keras define it: E[g²] is updated before the step (two steps)', () => {
  const { rho, epsilon } = OPTIMIZERS.adadelta;
  const twoSteps = (w: number, g: number) => {
    let [squaredGradient, squaredUpdate] = [0, 0];
    for (let step = 0; step < 2; step++) {
      squaredGradient = rho * squaredGradient + (1 - rho) * g * g;
      const update = (Math.sqrt(squaredUpdate + epsilon) / Math.sqrt(squaredGradient + epsilon)) * g;
      squaredUpdate = rho * squaredUpdate + (1 - rho) * update * update;
      w -= 0.5 * update;
    }
    return w;
  };
  close(run({ name: 'adadelta', ...OPTIMIZERS.adadelta, lr: 0.5 }, 2), zip(twoSteps), 1e-5);
});

test('weight decay adds decay·w to the gradient of decaying weights only', () => {
  const sgd: OptimizerConfig = { name: 'sgd', ...OPTIMIZERS.sgd, lr: 0.1 };
  close(run(sgd, 1, { ...NONE, weightDecay: 0.5 }), zip((w, g) => w - 0.1 * (g + 0.5 * w)));
  close(run(sgd, 1, { ...NONE, weightDecay: 0.5 }, false), zip((w, g) => w - 0.1 * g));
});

test('clipping by value, and by global norm', () => {
  const sgd: OptimizerConfig = { name: 'sgd', ...OPTIMIZERS.sgd, lr: 1 };
  close(run(sgd, 1, { ...NONE, clipValue: 0.15 }), zip((w, g) => w - Math.max(-0.15, Math.min(0.15, g))));
  const norm = Math.hypot(...G);
  close(run(sgd, 1, { ...NONE, clipNorm: norm / 2 }), zip((w, g) => w - g / 2));
  close(run(sgd, 1, { ...NONE, clipNorm: norm * 2 }), zip((w, g) => w - g));
});

test('a changed learning rate takes effect at the next step (sgd keeps it in a tensor, adam in a field)', () => {
  for (const config of [{ name: 'sgd', ...OPTIMIZERS.sgd, lr: 1 }, { name: 'adam', ...OPTIMIZERS.adam, lr: 1 }] as OptimizerConfig[]) {
    const variable = tf.variable(tf.tensor1d(W0));
    const optimizer = createOptimizer(config, NONE);
    optimizer.setLearningRate(0);
    tf.tidy(() => optimizer.apply({ w: tf.tensor1d(G) }, [{ name: 'w', variable, decays: false }]));
    close(variable.dataSync(), W0);
    assert.is(optimizer.learningRate, 0);
    optimizer.dispose();
    variable.dispose();
  }
});

for (const config of [{ name: 'adam', ...OPTIMIZERS.adam, lr: 0.05 }, { name: 'adadelta', ...OPTIMIZERS.adadelta }, { name: 'sgd', ...OPTIMIZERS.sgd, momentum: 0.9 }] as OptimizerConfig[]) {
  test(`saved ${config.name} state continues exactly where it left off`, async () => {
    const a = tf.variable(tf.tensor1d(W0));
    const first = createOptimizer(config, NONE);
    const step = (opt: typeof first, v: tf.Variable, scale: number) => tf.tidy(() => opt.apply({ w: tf.mul(tf.tensor1d(G), scale) }, [{ name: 'w', variable: v, decays: false }]));
    [1, 2, 3].forEach((s) => step(first, a, s));
    const state = await first.saveState([{ name: 'w', variable: a, decays: false }]);
    assert.is(state[0]!.name, 'iterations');
    assert.ok(state.slice(1).every((s) => s.name.startsWith('w/')), state.map((s) => s.name).join());
    const b = tf.variable(a.clone());
    const second = createOptimizer(config, NONE);
    await second.loadState(state, [{ name: 'w', variable: b, decays: false }]);
    step(first, a, 4);
    step(second, b, 4);
    assert.equal(Array.from(b.dataSync()), Array.from(a.dataSync()));
    first.dispose();
    second.dispose();
    tf.dispose([a, b]);
  });
}

test('schedules: constant, step decay, standard cosine decay, and the paper cosine rule as written', () => {
  const at = (step: number, epoch = 0) => ({ step, epoch, totalSteps: 100 });
  assert.is(learningRateAt({ kind: 'constant' }, 0.1, at(50)), 0.1);
  assert.is(learningRateAt({ kind: 'step', every: 2, factor: 0.5 }, 0.1, at(0, 5)), 0.1 * 0.25);
  // Values computed apart (Python's math module), lr0 = 0.1, α = 0.2, K = 100, at k = 0, 25, 50, 75, 100, 250.
  const steps = [0, 25, 50, 75, 100, 250];
  const standard = [0.1, 0.08828427124746191, 0.06, 0.03171572875253811, 0.02, 0.02];
  const paper = [0.18, 0.1, 0.02, 0.1, 0.18, 0.18];
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-12;
  const cosine = { kind: 'cosine', alpha: 0.2, steps: null } as const;
  steps.forEach((k, i) => assert.ok(near(learningRateAt(cosine, 0.1, at(k)), standard[i]!), `cosine at k = ${k}: ${learningRateAt(cosine, 0.1, at(k))}`));
  const literal = { kind: 'cosine_paper', alpha: 0.2, steps: null } as const;
  steps.forEach((k, i) => assert.ok(near(learningRateAt(literal, 0.1, at(k)), paper[i]!), `cosine_paper at k = ${k}: ${learningRateAt(literal, 0.1, at(k))}`));
  const falling = Array.from({ length: 101 }, (_, k) => learningRateAt(cosine, 0.1, at(k)));
  assert.ok(falling.every((lr, k) => k === 0 || lr <= falling[k - 1]!), 'the standard rule never rises');
  assert.ok(near(learningRateAt({ ...cosine, steps: 40 }, 0.1, at(20)), 0.06), 'explicit K: half way at K / 2');
});

test.run();
