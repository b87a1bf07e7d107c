/**
 * The generated code runs: every network of the zoo and the fixtures, on a small input, gives outputs
 * of the shapes the front end inferred; one network trains a step with gradients for every weight.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validInputSizes } from '../../compiler/analysis/index.js';
import { transpileModule } from '../../compiler/codegen/index.js';
import { withInputShape } from '../../cli/analyze.js';
import type { GeneratedModule } from '../../runtime/generated-module.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { analysed, generate, loadZoo, networkNamed, type Network } from './helpers.js';

await tf.setBackend('cpu');

const MAX_WEIGHT_BYTES = 200 * 1024 * 1024;
const MAX_MACS = 1e9;
const load = (network: Network): Promise<GeneratedModule> => importGenerated(transpileModule(generate(network)));

/** Smallest input side worth keeping: enough for most pooling pyramids, cheap on the CPU backend. */
const SMALL = 16;

/** The network with its first input shrunk to a valid size near SMALL×SMALL (kept when already smaller). */
function small(network: Network): Network {
  const input = network.graph.inputs[0]!;
  if (input.shape.length < 3 || input.shape.slice(0, -1).every((n) => n <= SMALL)) return network;
  const sizes = validInputSizes(network.graph, SMALL)!;
  const size = sizes.fits ? sizes.requested : (sizes.below ?? sizes.above);
  // Images and volumes alike: the spatial axes shrunk, the channels kept.
  return size ? analysed(withInputShape(network.graph, [...size, input.shape.at(-1)!]), network.sources) : network;
}

const batchOf = (shape: readonly number[], seed: number) => tf.randomNormal([2, ...shape], 0, 1, 'float32', seed);

/** Weights for a shape check: constants, cheap for 30M parameters (seeded initialisation is tested on small networks). */
function constantWeights(module: GeneratedModule): Record<string, tf.Variable> {
  return Object.fromEntries(module.meta.weights.map((w) => [w.name, tf.variable(tf.fill([...w.shape], w.minValue ?? 0.01), w.trainable)]));
}

/** Why a network is too heavy for the CPU backend in a unit test, or null. */
function tooHeavy(network: Network): string | null {
  const { trainable, nonTrainable, macs } = network.analysis.totals;
  const bytes = (trainable + nonTrainable) * 4;
  if (bytes > MAX_WEIGHT_BYTES) return `${Math.round(bytes / 2 ** 20)} MiB of weights`;
  if (macs > MAX_MACS) return `${(macs / 1e9).toFixed(1)} G multiply-adds per example`;
  return null;
}

test('every network runs on a small input and gives the inferred output shapes', async () => {
  for (const network of loadZoo().networks.map(small)) {
    const heavy = tooHeavy(network);
    if (heavy) {
      console.log(`  skipped ${network.graph.name}: ${heavy} even at input ${network.graph.inputs[0]!.shape.join('×')}`);
      continue;
    }
    const module = await load(network);
    const weights = constantWeights(module);
    // Batch 1 keeps the big networks affordable; the tests below and load.test.ts run batches of 2.
    const inputs = Object.fromEntries(network.graph.inputs.map((input, i) => [input.name, tf.randomNormal([1, ...input.shape], 0, 1, 'float32', i)]));
    const outputs = tf.tidy(() => module.forward(weights, inputs, { training: false }));
    for (const output of network.graph.outputs) {
      const tensor = outputs[output.name]!;
      assert.equal(tensor.shape, [1, ...network.analysis.rows[output.node]!.shape!], `${network.graph.name}.${output.name}`);
    }
    tf.dispose([outputs, inputs, weights]);
  }
});

const segmenter = () => networkNamed('Segmenter');
const STATE = { epoch: 1, seed: 7, step: 0 };

/** Σ output · r: a loss whose gradient reaches every weight that changes the output. */
function lossOf(module: GeneratedModule, weights: Record<string, tf.Variable>, x: tf.Tensor, r: tf.Tensor, training: boolean): tf.Scalar {
  return tf.sum(tf.mul(module.forward(weights, { image: x }, { training, state: STATE }).mask!, r));
}

test('training mode is differentiable end to end: every trainable weight gets a finite, non-zero gradient', async () => {
  const module = await load(segmenter());
  const weights = module.createWeights(2);
  const ops = new Set(segmenter().graph.nodes.map((n) => n.op));
  for (const op of ['gauss', 'batchnorm', 'dropout', 'se', 'fre', 'conv_transpose', 'upsample', 'concat', 'add', 'crop']) assert.ok(ops.has(op), op);
  const x = batchOf([16, 16, 3], 3);
  const r = tf.randomUniform([2, 30, 30, 3], -1, 1, 'float32', 4);
  const movingBefore = weights['e1.batchnorm/moving_mean']!.dataSync().slice();
  const trainable = module.meta.weights.filter((w) => w.trainable);
  const { value, grads } = tf.variableGrads(() => lossOf(module, weights, x, r, true), trainable.map((w) => weights[w.name]!));
  assert.ok(Number.isFinite(value.dataSync()[0]));
  for (const w of trainable) {
    const grad = grads[weights[w.name]!.name]!;
    assert.ok(grad, `gradient for ${w.name}`);
    assert.equal(grad.shape, [...w.shape], w.name);
    const values = grad.dataSync();
    assert.ok(values.every(Number.isFinite) && values.some((v) => v !== 0), `${w.name}: finite and non-zero`);
  }
  assert.not.equal([...weights['e1.batchnorm/moving_mean']!.dataSync()], [...movingBefore], 'batchnorm statistics moved');
  tf.dispose([value, grads, x, r, weights]);
});

test('gradients agree with central differences (inference mode)', async () => {
  const module = await load(segmenter());
  const weights = module.createWeights(5);
  const x = batchOf([16, 16, 3], 6);
  const r = tf.randomUniform([2, 30, 30, 3], -1, 1, 'float32', 7);
  const probes = ['e1.gauss/sigma', 'e1.gauss/mu', 'e1.gauss/theta', 'mask.conv/kernel'];
  const { grads } = tf.variableGrads(() => lossOf(module, weights, x, r, false), probes.map((name) => weights[name]!));
  // The loss summed in float64 from the output values, so the difference is not float32 noise.
  const [rValues, xs] = [r.dataSync(), { image: x }];
  const lossAt = () => tf.tidy(() => Array.from(module.forward(weights, xs, { training: false }).mask!.dataSync()).reduce((sum, v, i) => sum + v * rValues[i]!, 0));
  // Small steps: relu and maxpool kinks make larger ones disagree with the derivative.
  const eps = 1e-3;
  for (const name of probes) {
    const variable = weights[name]!;
    const values = variable.dataSync().slice();
    const shifted = (delta: number) => {
      const copy = values.slice();
      copy[0]! += delta;
      variable.assign(tf.tensor(copy, variable.shape));
      return lossAt();
    };
    const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
    variable.assign(tf.tensor(values, variable.shape));
    const analytic = grads[variable.name]!.dataSync()[0]!;
    assert.ok(Math.abs(analytic - numeric) <= 0.03 * Math.abs(numeric) + 1e-3, `${name}: analytic ${analytic} vs numeric ${numeric}`);
  }
  tf.dispose([grads, x, r, weights]);
});

test.run();
