/**
 * Checkpoints and the run directory under faults: a crash between any two file-system calls of a
 * save leaves a loadable checkpoint (the old or the new one), a full disk or an unwritable directory
 * is a one-line error that loses nothing, a damaged newest checkpoint falls back to the one before,
 * the last K and the best are kept, and another network's checkpoint is refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { listCheckpoints, loadCheckpoint, manifestName, saveCheckpoint, setAsideDamaged, type TrainingPosition } from '../../runtime/train/checkpoint.js';
import type { EpochRecord } from '../../runtime/train/log.js';
import { OPTIMIZERS } from '../../runtime/train/config.js';
import type { FileSystem } from '../../runtime/train/files.js';
import { createOptimizer, type NamedVariable } from '../../runtime/train/optimizers.js';
import { createRun, runPaths } from '../../runtime/train/run-dir.js';
import { stateOf } from '../../runtime/train/tfjs-engine.js';
import { throwsGnet } from '../data/helpers.js';
import { CLASSIFIER_SPEC, compileSpec, tempDir, useCpu } from './fixtures.js';

await useCpu();

const spec = await compileSpec(CLASSIFIER_SPEC('mnist:/nowhere'));
const { meta } = spec.model.module;
const weights = spec.model.module.createWeights(3);
const trainable: NamedVariable[] = meta.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, variable: weights[w.name]!, decays: false }));
const optimizer = createOptimizer({ name: 'adam', ...OPTIMIZERS.adam }, { weightDecay: 0, clipNorm: null, clipValue: null });

/** One optimiser step with gradients of ones, so weights change and the slots exist. */
function step(): void {
  tf.tidy(() => optimizer.apply(Object.fromEntries(trainable.map((t) => [t.name, tf.onesLike(t.variable)])), trainable));
}

const position = (step: number): TrainingPosition => ({ epoch: 0, step, stepInEpoch: step, partial: null, history: [] });
const state = async (at: number) => ({ meta, state: await stateOf(meta, weights, optimizer, trainable), position: position(at), seed: 3 });
const snapshot = () => Object.fromEntries(meta.weights.map((w) => [w.name, Array.from(weights[w.name]!.dataSync())]));

function loaded(folder: string): { step: number; values: Record<string, number[]> } {
  const checkpoint = loadCheckpoint(folder, meta);
  const values = Object.fromEntries(checkpoint.state.weights.map((w) => [w.name, Array.from(w.values)]));
  return { step: checkpoint.manifest.position.step, values };
}

type CountingFs = FileSystem & { calls: number; manifestRename: number };

/** node:fs, except that the call numbered `failAt` (counting every call) throws `code`; notes which call commits the manifest. */
function failingFs(failAt: number, code: string): CountingFs {
  const io = { calls: 0, manifestRename: 0 } as CountingFs;
  for (const name of ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync', 'unlinkSync', 'mkdirSync', 'readFileSync', 'readdirSync', 'existsSync', 'appendFileSync', 'linkSync'] as const) {
    (io as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      io.calls += 1;
      if (name === 'renameSync' && /step-\d+\.json$/.test(String(args[1]))) io.manifestRename = io.calls;
      if (io.calls === failAt) throw Object.assign(new Error(`${code}: simulated failure in ${name}`), { code });
      return (fs[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return io;
}

test('a checkpoint round-trips the weights and the optimiser slots', async () => {
  const folder = join(tempDir('ckpt'), 'checkpoint');
  step();
  await saveCheckpoint(folder, await state(1));
  const checkpoint = loadCheckpoint(folder, meta);
  assert.equal(checkpoint.state.weights.map((w) => w.name), meta.weights.map((w) => w.name));
  for (const w of checkpoint.state.weights) assert.equal(Array.from(w.values), Array.from(weights[w.name]!.dataSync()), w.name);
  const slots = await optimizer.saveState(trainable);
  assert.equal(checkpoint.state.slots.map((s) => s.name), slots.map((s) => s.name));
  slots.forEach((s, i) => assert.equal(Array.from(checkpoint.state.slots[i]!.values), Array.from(s.tensor.dataSync()), s.name));
  assert.is(checkpoint.state.slots[0]!.dtype, 'int32', 'the iteration count stays an integer');
  tf.dispose(slots.map((s) => s.tensor));
});

const assignAll = (values: Record<string, number[]>) => meta.weights.forEach((w) => weights[w.name]!.assign(tf.tensor(values[w.name]!, [...w.shape])));

test('a crash between any two file-system calls of a save leaves the old or the new checkpoint loadable', async () => {
  step();
  const old = snapshot();
  step();
  const fresh = snapshot();
  const counted = join(tempDir('count'), 'checkpoint');
  await saveCheckpoint(counted, await state(1));
  const counter = failingFs(0, 'NONE');
  await saveCheckpoint(counted, await state(2), counter);
  assert.ok(counter.calls > 10 && counter.manifestRename > 0, `a save makes ${counter.calls} calls`);
  for (let failAt = 1; failAt <= counter.calls; failAt++) {
    const folder = join(tempDir('crash'), 'checkpoint');
    assignAll(old);
    await saveCheckpoint(folder, await state(1));
    assignAll(fresh);
    await saveCheckpoint(folder, await state(2), failingFs(failAt, 'EIO')).catch(() => undefined);
    const now = loaded(folder);
    assert.is(now.step, failAt <= counter.manifestRename ? 1 : 2, `crash at call ${failAt} of ${counter.calls} (manifest committed at ${counter.manifestRename})`);
    assert.equal(now.values, now.step === 1 ? old : fresh, `crash at call ${failAt}`);
    await saveCheckpoint(folder, await state(3));
    const kept = listCheckpoints(folder);
    assert.equal(kept.map((e) => e.step), failAt <= counter.manifestRename ? [3, 1] : [3, 2]);
    assert.equal(fs.readdirSync(folder).sort(), [...kept.map((e) => e.file), ...kept.map((e) => e.manifest!.weightsFile)].sort(), 'the next save sweeps what the crash left');
  }
});

test('a full disk is GN0802 and keeps the previous checkpoint and no temporary file', async () => {
  const folder = join(tempDir('full'), 'checkpoint');
  await saveCheckpoint(folder, await state(5));
  const before = fs.readdirSync(folder).sort();
  const io = failingFs(0, 'NONE');
  io.writeSync = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  let error: unknown;
  await saveCheckpoint(folder, await state(6), io).catch((e) => (error = e));
  throwsGnet(() => {
    throw error;
  }, 'GN0802', 'disk is full', 'kept');
  assert.equal(fs.readdirSync(folder).sort(), before);
  assert.is(loaded(folder).step, 5);
});

test('a damaged newest checkpoint falls back to the one before; with none intact the error says how to start again', async () => {
  const folder = join(tempDir('bad'), 'checkpoint');
  await saveCheckpoint(folder, await state(1));
  const manifest = await saveCheckpoint(folder, await state(2));
  const bin = join(folder, manifest.weightsFile);
  const bytes = fs.readFileSync(bin);
  bytes[10] ^= 0xff;
  fs.writeFileSync(bin, bytes);
  const fallback = loadCheckpoint(folder, meta);
  assert.is(fallback.manifest.position.step, 1);
  assert.equal(fallback.skipped.map((s) => s.file), [manifestName(2)]);
  assert.match(fallback.skipped[0]!.problem, /damaged.*SHA-256/);

  setAsideDamaged(folder, [manifestName(2)]);
  assert.ok(fs.existsSync(`${bin}.damaged`) && fs.existsSync(join(folder, `${manifestName(2)}.damaged`)));
  assert.equal(listCheckpoints(folder).map((e) => e.step), [1], 'a damaged checkpoint set aside is never counted again');

  fs.writeFileSync(join(folder, manifestName(1)), '{"format": "gnet-checkpoint", "vers');
  throwsGnet(() => loadCheckpoint(folder, meta), 'GN0805', 'no intact checkpoint', 'not valid JSON', `move ${folder} aside`, '--resume');
  throwsGnet(() => loadCheckpoint(join(tempDir('empty'), 'checkpoint'), meta), 'GN0809', 'no checkpoint');
});

/** An epoch-end position whose history has these validation values of `metric`. */
function epochEnd(values: readonly number[], metric: 'accuracy' | 'loss'): TrainingPosition {
  const history = values.map((value, i): EpochRecord => ({
    epoch: i + 1,
    step: (i + 1) * 10,
    loss: 1,
    metrics: { accuracy: 0.5 },
    validation: metric === 'loss' ? { loss: value, metrics: { accuracy: 0.5 } } : { loss: 1, metrics: { accuracy: value } },
    lr: 0.01,
    seconds: 1,
    imagesPerSecond: 1,
  }));
  return { epoch: values.length, step: values.length * 10, stepInEpoch: 0, partial: null, history };
}

test('a save keeps the newest K checkpoints and the best by the watched metric (higher accuracy, lower loss)', async () => {
  const accuracy = [0.5, 0.9, 0.7, 0.9, 0.6];
  const folder = join(tempDir('keep'), 'checkpoint');
  for (let n = 1; n <= accuracy.length; n++) await saveCheckpoint(folder, { ...(await state(0)), position: epochEnd(accuracy.slice(0, n), 'accuracy') }, undefined, { keep: 2, watch: 'accuracy' });
  assert.equal(listCheckpoints(folder).map((e) => e.step), [50, 40, 20], 'epochs 5 and 4, and epoch 2 (the first of the two best)');
  assert.is(fs.readdirSync(folder).length, 6, 'three manifests and their three .bin files');

  const losses = [0.9, 0.4, 0.6, 0.5];
  const byLoss = join(tempDir('keep'), 'checkpoint');
  for (let n = 1; n <= losses.length; n++) await saveCheckpoint(byLoss, { ...(await state(0)), position: epochEnd(losses.slice(0, n), 'loss') }, undefined, { keep: 1, watch: 'loss' });
  assert.equal(listCheckpoints(byLoss).map((e) => e.step), [40, 20]);
  const mid = { ...epochEnd(losses, 'loss'), step: 45, stepInEpoch: 5 };
  await saveCheckpoint(byLoss, { ...(await state(0)), position: mid }, undefined, { keep: 1, watch: 'loss' });
  assert.equal(listCheckpoints(byLoss).map((e) => e.step), [45, 20], 'a mid-epoch save has no validation value: the best stays the epoch-end one');
});

test('another network is refused with GN0804', async () => {
  const other = await compileSpec(CLASSIFIER_SPEC('mnist:/nowhere').replace('conv(6, size=3)', 'conv(7, size=3)'));
  const good = join(tempDir('good'), 'checkpoint');
  await saveCheckpoint(good, await state(2));
  throwsGnet(() => loadCheckpoint(good, other.model.module.meta), 'GN0804', 'another network', 'scores.conv/kernel', '[3, 3, 4, 6]', '[3, 3, 4, 7]');
});

test('an unwritable run directory is GN0801; a directory that holds a run is GN0807', () => {
  const root = tempDir('runs');
  fs.writeFileSync(join(root, 'file'), 'not a folder');
  const record = { format: 'gnet-run', version: 1, createdAt: '', spec: { file: 'x.gnet', network: 'N', params: {} }, backend: 'cpu', train: {} } as never;
  const sources = { entry: 'x.gnet', files: {} };
  throwsGnet(() => createRun(join(root, 'file', 'run'), record, sources), 'GN0801', 'could not', '--out');
  const paths = createRun(join(root, 'run'), record, sources);
  assert.ok(fs.existsSync(paths.config));
  throwsGnet(() => createRun(join(root, 'run'), record, sources), 'GN0807', 'already holds a run', '--resume');
  assert.is(runPaths(join(root, 'run')).config, paths.config);
});

test.run();
