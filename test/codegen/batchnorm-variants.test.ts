/**
 * batchnorm(scale = false) and batchnorm(statistics = fixed) in the generated TypeScript: no γ weight,
 * and fixed statistics that training reads but never updates (the torch side is checked against this
 * one by test/torch/equivalence-blocks).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transpileModule } from '../../compiler/codegen/index.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { compileFile, generate, REPO } from './helpers.js';

await tf.setBackend('cpu');

const compiled = compileFile(join(REPO, 'test/torch/fixtures/coverage.gnet'));
const network = compiled.networks.find((n) => n.graph.name === 'NormVariants')!;
const STATE = { seed: 1, epoch: 0, step: 0 };

test('scale = false leaves γ out of the weights; every layer keeps β and its statistics', async () => {
  assert.equal(compiled.errors, []);
  const module = await importGenerated(transpileModule(generate(network)));
  const names = module.meta.weights.filter((w) => w.name.includes('batchnorm')).map((w) => `${w.name} ${w.trainable ? 'trainable' : 'fixed'}`);
  assert.equal(names.sort(), [
    'a.batchnorm/beta trainable', 'a.batchnorm/moving_mean fixed', 'a.batchnorm/moving_variance fixed',
    'b.batchnorm/beta trainable', 'b.batchnorm/gamma trainable', 'b.batchnorm/moving_mean fixed', 'b.batchnorm/moving_variance fixed',
    'y.batchnorm/beta trainable', 'y.batchnorm/moving_mean fixed', 'y.batchnorm/moving_variance fixed',
  ]);
});

test('training updates moving statistics and never fixed ones', async () => {
  const module = await importGenerated(transpileModule(generate(network)));
  const weights = module.createWeights(3);
  const x = tf.randomNormal([4, 6, 6, 3], 2, 3, 'float32', 7);
  const before = (name: string) => Array.from(weights[name]!.dataSync());
  const initial = Object.fromEntries(['a', 'b', 'y'].flatMap((v) => [`${v}.batchnorm/moving_mean`, `${v}.batchnorm/moving_variance`]).map((n) => [n, before(n)]));
  const trainable = module.meta.weights.filter((w) => w.trainable).map((w) => weights[w.name]!);
  const { value, grads } = tf.variableGrads(() => tf.sum(module.forward(weights, { image: x }, { training: true, state: STATE }).y!), trainable);
  assert.ok(Number.isFinite(value.dataSync()[0]!));
  assert.not.equal(before('a.batchnorm/moving_mean'), initial['a.batchnorm/moving_mean'], 'statistics = moving: updated');
  for (const v of ['b', 'y']) {
    assert.equal(before(`${v}.batchnorm/moving_mean`), [0, 0, 0, 0], `${v}: mean stays as initialised`);
    assert.equal(before(`${v}.batchnorm/moving_variance`), [1, 1, 1, 1], `${v}: variance stays as initialised`);
  }
  // y = global average of (normalised + β): d(sum y)/dβ is 1 per channel and image, 4 images.
  const dBeta = Array.from(grads[weights['y.batchnorm/beta']!.name]!.dataSync());
  assert.ok(dBeta.every((g) => Math.abs(g - 4) < 1e-4), `dβ ${dBeta}`);
  tf.dispose([x, value, grads, weights]);
});

test.run();
