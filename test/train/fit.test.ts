/**
 * The training driver on the TensorFlow.js engine with a tiny gauss classifier (cpu backend): the
 * loss falls, no tensor leaks from step to step, Ctrl-C (an aborted signal) saves a checkpoint, and resuming from it ends with exactly
 * the weights of an uninterrupted run; a non-finite loss or weight stops training and keeps the last checkpoint.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, readManifest } from '../../runtime/train/checkpoint.js';
import type { DriveResult, ProgressSink } from '../../runtime/train/driver.js';
import type { EngineState } from '../../runtime/train/engine.js';
import { readLog } from '../../runtime/train/log.js';
import { runPaths } from '../../runtime/train/run-dir.js';
import { trainInRun } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { createTfjsEngine, weightsFromState } from '../../runtime/train/tfjs-engine.js';
import { throwsGnet } from '../data/helpers.js';
import { CLASSIFIER_SPEC, prepare, runFolder, useCpu, writeBarsDataset, type Prepared } from './fixtures.js';

await useCpu();

const data = writeBarsDataset(48);
const base = await prepare(CLASSIFIER_SPEC(`mnist:${data}`), { epochs: 2 });

const quiet = (onStep: (step: number) => void = () => {}): ProgressSink => ({ start() {}, step: (at) => onStep(at.step), epoch() {}, stop() {} });

type TrainOptions = { epochs?: number; stopAfter?: number; dir?: string; resume?: ReturnType<typeof loadCheckpoint> | boolean; progress?: ProgressSink; onStep?: (step: number) => void };

async function train(prepared: Prepared, options: TrainOptions = {}): Promise<DriveResult> {
  const paths = runPaths(options.dir ?? runFolder());
  const stop = new AbortController();
  const config = { ...prepared.config, epochs: options.epochs ?? prepared.config.epochs };
  const resume = options.resume === true ? loadCheckpoint(paths.checkpoint, prepared.spec.model.module.meta) : options.resume || undefined;
  const onStep = (step: number) => {
    options.onStep?.(step);
    if (step === options.stopAfter) stop.abort();
  };
  const { model } = prepared.spec;
  const engine = createTfjsEngine(model, config, prepared.data, 'cpu');
  try {
    const task = describeTask(model.module.meta, model.info.outputs, config.loss);
    return await trainInRun(engine, { model, config, data: prepared.data, task, paths, resume, signal: stop.signal, progress: options.progress ?? quiet(onStep) });
  } finally {
    await engine.close();
  }
}

const values = (result: { state: Pick<EngineState, 'weights'> }) => Object.fromEntries(result.state.weights.map((w) => [w.name, Array.from(w.values)]));

test('the loss falls over three epochs and the tensor count is the same after every step', async () => {
  const counts: number[] = [];
  const result = await train(base, { epochs: 3, onStep: () => counts.push(tf.memory().numTensors) });
  const losses = result.position.history.map((r) => r.loss);
  assert.is(losses.length, 3);
  assert.ok(losses[2]! < losses[0]! * 0.8, `losses ${losses.join(', ')}`);
  // Step 1 creates the optimiser's slots; from then on validation and checkpoints must not leak either.
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensor counts ${counts.join(', ')}`);
  const afterFirst = tf.memory().numTensors;
  await train(base, { epochs: 1 });
  assert.is(tf.memory().numTensors, afterFirst, 'a second run frees everything it made');
});

test('stopped mid-epoch and resumed, training ends with exactly the uninterrupted weights', async () => {
  const straight = await train(base);
  const expected = values(straight);
  const expectedLog = straight.position.history;
  const again = await train(base);
  assert.equal(values(again), expected, 'the same seed on the same backend gives the same weights');

  const dir = runFolder();
  const stopped = await train(base, { dir, stopAfter: 7 });
  assert.is(stopped.status, 'interrupted');
  const manifest = readManifest(runPaths(dir).checkpoint);
  assert.equal([manifest.position.epoch, manifest.position.step, manifest.position.stepInEpoch], [1, 7, 2]);

  const resumed = await train(base, { dir, resume: true });
  assert.is(resumed.status, 'completed');
  assert.equal(values(resumed), expected);
  const log = readLog(runPaths(dir).log);
  const withoutTiming = (records: readonly (typeof log)[number][]) => records.map(({ seconds, imagesPerSecond, ...rest }) => rest);
  assert.equal(withoutTiming(log), withoutTiming(expectedLog));
});

test('inference uses the moving statistics and leaves out dropout and fre; training does not', async () => {
  const result = await train(base, { epochs: 1 });
  const { module } = base.spec.model;
  const weights = weightsFromState(base.spec.model, result.state);
  const [batch] = base.data.validation.batches(6);
  const x = tf.tensor(batch!.x, [...batch!.xShape]);
  const alone = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]);
  const first = (training: boolean, input: tf.Tensor, epoch = 0) =>
    tf.tidy(() => Array.from(tf.slice(module.forward(weights, { image: input }, { training, state: { epoch, seed: 1, step: epoch } }).scores!, [0, 0], [1, -1]).dataSync()));
  assert.equal(first(false, x), first(false, alone), 'an image scores the same alone or in a batch');
  assert.equal(first(false, x, 0), first(false, x, 5), 'no random drop or enhancement at inference');
  const moving = Array.from(weights['x.batchnorm/moving_mean']!.dataSync());
  assert.not.equal(first(true, x, 0), first(true, x, 5), 'training draws other dropout and fre choices per epoch and step');
  assert.not.equal(Array.from(weights['x.batchnorm/moving_mean']!.dataSync()), moving, 'a training pass moves the statistics');
  tf.dispose([x, alone, ...Object.values(weights)]);
});

test('weights of an output no loss term uses are left as they were', async () => {
  const source = CLASSIFIER_SPEC(`mnist:${data}`).replace('  train {', '  output extra = x -> conv(2, size=1)\n  train {');
  const twoHeads = await prepare(source, { epochs: 1 });
  const initial = twoHeads.spec.model.module.createWeights(twoHeads.config.seed);
  const trained = values(await train(twoHeads));
  assert.equal(trained['extra/kernel'], Array.from(initial['extra/kernel']!.dataSync()));
  assert.not.equal(trained['scores.conv/kernel'], Array.from(initial['scores.conv/kernel']!.dataSync()));
  tf.dispose(Object.values(initial));
});

test('divergence stops training with GN0803: the step, what went non-finite, the rate and the hint; the last finite checkpoint is kept', async () => {
  const explosive = { ...base, config: { ...base.config, optimizer: { ...base.config.optimizer, lr: 1e30 }, checkpointEvery: 1 } };
  const dir = runFolder();
  let error: unknown;
  await train(explosive, { dir }).catch((e) => (error = e));
  const gnet = throwsGnet(() => {
    throw error;
  }, 'GN0803', 'training diverged at epoch 1', 'global step', 'at learning rate 1e+30', 'last finite checkpoint', 'nothing of this step was saved', '--lr 1e+29', 'clip_norm');
  assert.match(gnet.message, /(weight \S+|the loss) became (NaN|-?Infinity)/);
  const step = Number(/global step (\d+)/.exec(gnet.message)![1]);
  const kept = loadCheckpoint(runPaths(dir).checkpoint, base.spec.model.module.meta);
  assert.is(kept.manifest.position.step, step - 1);
  assert.ok(kept.state.weights.every((w) => w.values.every(Number.isFinite)), 'the kept weights are finite');
});

test('a weight that turns NaN is caught by name even while the loss stays finite', async () => {
  const source = CLASSIFIER_SPEC(`mnist:${data}`).replace('  train {', '  output extra = x -> conv(2, size=1)\n  train {');
  const twoHeads = await prepare(source, { epochs: 1 });
  const dir = runFolder();
  await train(twoHeads, { dir, stopAfter: 1 });
  const saved = loadCheckpoint(runPaths(dir).checkpoint, twoHeads.spec.model.module.meta);
  // No loss term reaches `extra`, so only the check of the weights can see it.
  const poisoned = saved.state.weights.map((w) => (w.name === 'extra/kernel' ? { ...w, values: new Float32Array(w.values.length).fill(NaN) } : w));
  const losses: number[] = [];
  let error: unknown;
  await train(twoHeads, { dir, resume: { ...saved, state: { ...saved.state, weights: poisoned } }, progress: { start() {}, step: (at) => losses.push(at.loss), epoch() {}, stop() {} } }).catch((e) => (error = e));
  throwsGnet(() => {
    throw error;
  }, 'GN0803', 'epoch 1, step 2 of', 'weight extra/kernel became NaN (all 8 values)', 'last finite checkpoint (step 1)');
  assert.equal(losses, [], 'no step was reported');
  assert.is(readManifest(runPaths(dir).checkpoint).position.step, 1, 'the checkpoint was not replaced');
});

test.run();
