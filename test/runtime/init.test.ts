import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyConstraints, computeFans, createRng, createVariables, GnetError, hashKey, initTensor, type VariableSpec } from '../../runtime/index.js';

await tf.setBackend('cpu');

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]): number => {
  const m = mean(v);
  return Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
};

test('seeded init depends only on (seed, key)', () => {
  const init = { kind: 'normal', std: 1 } as const;
  assert.equal(values(initTensor(init, [50], 7, 'conv1/kernel')), values(initTensor(init, [50], 7, 'conv1/kernel')));
  assert.not.equal(values(initTensor(init, [50], 7, 'conv1/kernel')), values(initTensor(init, [50], 7, 'conv2/kernel')));
  assert.not.equal(values(initTensor(init, [50], 7, 'conv1/kernel')), values(initTensor(init, [50], 8, 'conv1/kernel')));
  assert.is.not(hashKey(1, 'a'), hashKey(1, 'b'));
});

test('uniform and normal have the requested range and moments', () => {
  const u = values(initTensor({ kind: 'uniform', min: 0.5, max: 2 }, [20000], 1, 'sigma'));
  assert.ok(Math.min(...u) >= 0.5 && Math.max(...u) < 2);
  assert.ok(Math.abs(mean(u) - 1.25) < 0.02);
  const n = values(initTensor({ kind: 'normal', std: 0.3, mean: 1 }, [20000], 1, 'omega'));
  assert.ok(Math.abs(mean(n) - 1) < 0.01 && Math.abs(std(n) - 0.3) < 0.01);
});

test('constant, zeros and ones', () => {
  assert.equal(values(initTensor({ kind: 'constant', value: 0.25 }, [3], 1, 'k')), [0.25, 0.25, 0.25]);
  assert.equal(values(initTensor({ kind: 'zeros' }, [2], 1, 'k')), [0, 0]);
  assert.equal(values(initTensor({ kind: 'ones' }, [2], 1, 'k')), [1, 1]);
});

test('Keras fans: conv [kh, kw, in, out] and dense [in, out]', () => {
  assert.equal(computeFans([3, 5, 4, 8]), { fanIn: 60, fanOut: 120 });
  assert.equal(computeFans([10, 20]), { fanIn: 10, fanOut: 20 });
  assert.equal(computeFans([6]), { fanIn: 6, fanOut: 6 });
});

test('glorotUniform stays inside √(6 / (fanIn + fanOut)) with the uniform variance', () => {
  const limit = Math.sqrt(6 / (3 * 3 * 16 + 3 * 3 * 32));
  const v = values(initTensor({ kind: 'glorotUniform' }, [3, 3, 16, 32], 3, 'conv/kernel'));
  assert.ok(Math.max(...v.map(Math.abs)) <= limit);
  assert.ok(Math.abs(std(v) - limit / Math.sqrt(3)) < 0.03 * limit);
});

test('heNormal is a normal truncated at two std with variance 2 / fanIn', () => {
  const fanIn = 3 * 3 * 16;
  const v = values(initTensor({ kind: 'heNormal' }, [3, 3, 16, 64], 4, 'conv/kernel'));
  const scale = Math.sqrt(2 / fanIn) / 0.87962566103423978;
  assert.ok(Math.max(...v.map(Math.abs)) <= 2 * scale + 1e-6);
  assert.ok(Math.abs(std(v) - Math.sqrt(2 / fanIn)) < 0.03 * Math.sqrt(2 / fanIn));
});

const specs: VariableSpec[] = [
  { name: 'g/sigma', shape: [2, 3, 2], trainable: true, init: { kind: 'uniform', min: 0.05, max: 2 }, minValue: 0.2 },
  { name: 'g/omega', shape: [2, 4, 1, 3], trainable: true, init: { kind: 'normal', std: 0.5 } },
  { name: 'bn/moving_mean', shape: [4], trainable: false, init: { kind: 'zeros' } },
];

test('createVariables: one variable per spec, trainable flags, deterministic, clamped at creation', () => {
  const a = createVariables(specs, 42);
  const b = createVariables(specs, 42);
  assert.equal(Object.keys(a), ['g/sigma', 'g/omega', 'bn/moving_mean']);
  assert.equal(a['g/omega'].shape, [2, 4, 1, 3]);
  assert.ok(a['g/sigma'].trainable && !a['bn/moving_mean'].trainable);
  assert.equal(Array.from(a['g/omega'].dataSync()), Array.from(b['g/omega'].dataSync()));
  assert.ok(Math.min(...a['g/sigma'].dataSync()) >= 0.2);
  tf.dispose([...Object.values(a), ...Object.values(b)]);
});

test('applyConstraints clamps σ to ≥ 0.2 after an update and leaves others alone', () => {
  const vars = createVariables(specs, 1);
  vars['g/sigma'].assign(tf.tile(tf.tensor3d([-1, 0.1, 0.2, 0.5, 3, 0.19999], [2, 3, 1]), [1, 1, 2]));
  vars['g/omega'].assign(tf.fill([2, 4, 1, 3], -5));
  applyConstraints(vars, specs);
  const sigma = Array.from(vars['g/sigma'].dataSync());
  assert.ok(sigma.every((s) => s >= 0.2));
  assert.ok(Math.abs(sigma[8] - 3) < 1e-6 && Math.abs(sigma[6] - 0.5) < 1e-6);
  assert.ok(Array.from(vars['g/omega'].dataSync()).every((v) => v === -5));
  tf.dispose(Object.values(vars));
});

test('duplicate names and missing variables are GnetErrors', () => {
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof GnetError ? e.code : 'other';
    }
    return undefined;
  };
  assert.is(code(() => createVariables([specs[0], specs[0]], 1)), 'GN9002');
  assert.is(code(() => applyConstraints({}, specs)), 'GN9003');
});

test('rng: uniform in [0, 1), ints in range, normal moments', () => {
  const rng = createRng(9, 'k');
  const u = Array.from({ length: 10000 }, () => rng.uniform());
  assert.ok(Math.min(...u) >= 0 && Math.max(...u) < 1 && Math.abs(mean(u) - 0.5) < 0.02);
  const ints = Array.from({ length: 1000 }, () => rng.int(7));
  assert.equal([...new Set(ints)].sort(), [0, 1, 2, 3, 4, 5, 6]);
  const n = Array.from({ length: 10000 }, () => rng.normal());
  assert.ok(Math.abs(mean(n)) < 0.03 && Math.abs(std(n) - 1) < 0.03);
});

test.run();
