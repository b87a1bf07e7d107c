/**
 * batchnorm(scale = false) and batchnorm(statistics = fixed) in the generated TypeScript: no γ weight,
 * and fixed statistics that are no weights at all: the block is γ·x + β in training and inference
 * (the torch side is checked against this one by test/torch/equivalence-blocks).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transpileModule } from '../../compiler/codegen/index.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { compileSource } from '../../compiler/program.js';
import { analysed, compileFile, generate, REPO } from './helpers.js';

await tf.setBackend('cpu');

const compiled = compileFile(join(REPO, 'test/torch/fixtures/coverage.gnet'));
const network = compiled.networks.find((n) => n.graph.name === 'NormVariants')!;
const STATE = { seed: 1, epoch: 0, step: 0 };

test('scale = false leaves γ out of the weights; fixed statistics leave the moving statistics out; every layer keeps β', async () => {
  assert.equal(compiled.errors, []);
  const module = await importGenerated(transpileModule(generate(network)));
  const names = module.meta.weights.filter((w) => w.name.includes('batchnorm')).map((w) => `${w.name} ${w.trainable ? 'trainable' : 'fixed'}`);
  assert.equal(names.sort(), [
    'a.batchnorm/beta trainable', 'a.batchnorm/moving_mean fixed', 'a.batchnorm/moving_variance fixed',
    'b.batchnorm/beta trainable', 'b.batchnorm/gamma trainable',
    'y.batchnorm/beta trainable',
  ]);
});

test('training updates moving statistics; fixed statistics pass x through as γ·x + β in training and inference alike', async () => {
  const module = await importGenerated(transpileModule(generate(network)));
  const weights = module.createWeights(3);
  const x = tf.randomNormal([4, 6, 6, 3], 2, 3, 'float32', 7);
  const before = Array.from(weights['a.batchnorm/moving_mean']!.dataSync());
  const trainable = module.meta.weights.filter((w) => w.trainable).map((w) => weights[w.name]!);
  const { value, grads } = tf.variableGrads(() => tf.sum(module.forward(weights, { image: x }, { training: true, state: STATE }).y!), trainable);
  assert.ok(Number.isFinite(value.dataSync()[0]!));
  assert.not.equal(Array.from(weights['a.batchnorm/moving_mean']!.dataSync()), before, 'statistics = moving: updated');
  // y = global average of (conv + β): d(sum y)/dβ is 1 per channel and image, 4 images.
  const dBeta = Array.from(grads[weights['y.batchnorm/beta']!.name]!.dataSync());
  assert.ok(dBeta.every((g) => Math.abs(g - 4) < 1e-4), `dβ ${dBeta}`);
  tf.dispose([x, value, grads, weights]);
});

test('a fixed-statistics block alone is γ·x + β in training and in inference', async () => {
  const program = compileSource('network Fixed {\n  input image: 3 x 3 x 2\n  output y = image -> batchnorm(statistics = fixed)\n}', 'fixed.gnet');
  const module = await importGenerated(transpileModule(generate(analysed(program.graphs[0]!, program.sources))));
  assert.equal(module.meta.weights.map((w) => w.name).sort(), ['y/beta', 'y/gamma']);
  const weights = module.createWeights(1);
  weights['y/gamma']!.assign(tf.tensor1d([2, -0.5]));
  weights['y/beta']!.assign(tf.tensor1d([0.25, 1]));
  const values = Array.from({ length: 18 }, (_, i) => i - 7.5);
  const x = tf.tensor4d(values, [1, 3, 3, 2]);
  const expected = values.map((v, i) => (i % 2 === 0 ? 2 * v + 0.25 : -0.5 * v + 1));
  for (const training of [true, false]) {
    const y = module.forward(weights, { image: x }, { training, state: STATE }).y!;
    assert.equal(Array.from(y.dataSync()), expected, training ? 'training' : 'inference');
  }
  tf.dispose([x, weights]);
});

test("a run's first training step replaces the initial statistics: a short run does not evaluate on 0 and 1", async () => {
  // Regression: with the plain update a gauss network (activation variance ~1e-3) still held most of
  // the initial variance 1 after two epochs on 1 000 images, and evaluated at chance.
  const module = await importGenerated(transpileModule(generate(network)));
  const weights = module.createWeights(3);
  const x = tf.randomNormal([4, 6, 6, 3], 0, 0.01, 'float32', 11);
  const convOut = tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, weights['a.conv/kernel'] as tf.Tensor4D, 1, 'same'), weights['a.conv/bias']!));
  const { variance } = tf.moments(convOut, [0, 1, 2]);
  tf.tidy(() => module.forward(weights, { image: x }, { training: true, state: { ...STATE, step: 0 } }));
  const moving = Array.from(weights['a.batchnorm/moving_variance']!.dataSync());
  const batch = Array.from(variance.dataSync());
  assert.ok(moving.every((v, c) => Math.abs(v - batch[c]!) <= 1e-3 * batch[c]! + 1e-9), `moving ${moving} vs batch ${batch}`);
  tf.tidy(() => module.forward(weights, { image: x }, { training: true, state: { ...STATE, step: 1 } }));
  assert.ok(Array.from(weights['a.batchnorm/moving_variance']!.dataSync()).every((v) => v < 0.01), 'step 1 averages two batches, no initial 1');
  tf.dispose([x, convOut, variance, weights]);
});

test.run();
