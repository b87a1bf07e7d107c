/**
 * A diverged run never looks healthy. `gnet train` with an absurd learning rate stops with one GN0803
 * error and a non-zero exit on wasm (where NaN outputs used to give a finite crossentropy) and on cpu;
 * it writes no model and no non-finite checkpoint. `gnet eval` and `gnet predict` refuse saved
 * weights that are not finite, and on finite weights whose outputs are NaN eval agrees across backends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { evalRun } from '../../cli/commands/eval.js';
import { predict } from '../../cli/commands/predict.js';
import { train } from '../../cli/commands/train.js';
import { loadCheckpoint } from '../../runtime/train/checkpoint.js';
import { readModel, WEIGHTS_BIN } from '../../runtime/train/export.js';
import { encodePng } from '../../runtime/train/png.js';
import { SEGMENTER_SPEC, tempDir } from './fixtures.js';
import { captureOutput } from './output.js';

const spec = join(tempDir('spec'), 'cells.gnet');
writeFileSync(spec, SEGMENTER_SPEC());

/** Every checkpoint left in the run holds finite weights. */
async function checkpointIsFinite(out: string): Promise<boolean> {
  if (!existsSync(join(out, 'checkpoint', 'checkpoint.json'))) return true;
  const { module } = (await import('./fixtures.js').then((m) => m.compileSpec(SEGMENTER_SPEC()))).model;
  const kept = loadCheckpoint(join(out, 'checkpoint'), module.meta);
  return kept.state.weights.every((w) => w.values.every(Number.isFinite));
}

for (const backend of ['wasm', 'cpu']) {
  test(`gnet train --lr 1e30 on ${backend} exits non-zero with one GN0803 error and saves nothing non-finite`, async () => {
    const out = join(tempDir('diverge'), 'run');
    const { code, stderr } = await captureOutput(() => train(spec, { backend, out, lr: 1e30, checkpointEvery: 1 }));
    assert.is(code, 1, stderr);
    const errors = stderr.split('\n').filter((line) => line.startsWith('gnet: error'));
    assert.is(errors.length, 1, stderr);
    for (const part of ['error[GN0803]: training diverged at epoch 1, step', 'at learning rate 1e+30', '--lr 1e+29', 'clip_norm']) assert.ok(errors[0]!.includes(part), `${errors[0]} should say "${part}"`);
    assert.match(errors[0]!, /(weight \S+|the loss) became (NaN|-?Infinity)/);
    assert.not.ok(existsSync(join(out, 'model')), 'no final model');
    assert.ok(await checkpointIsFinite(out), 'the kept checkpoint is finite');
  });
}

/** A run trained normally on cpu, then copied with its final weights changed by `edit`. */
const trained = join(tempDir('ok'), 'run');
const trainedOk = await captureOutput(() => train(spec, { backend: 'cpu', out: trained }));

function runWithWeights(edit: (name: string, values: Float32Array) => void): string {
  const copy = join(tempDir('edited'), 'run');
  cpSync(trained, copy, { recursive: true });
  const { json, tensors } = readModel(join(copy, 'model'));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const parts = specs.map((s) => {
    const values = Float32Array.from(tensors[s.name]!.dataSync());
    edit(s.name, values);
    return values;
  });
  tf.dispose(Object.values(tensors));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) (bytes.set(new Uint8Array(p.buffer), at), (at += p.byteLength));
  writeFileSync(join(copy, 'model', WEIGHTS_BIN), bytes);
  return copy;
}

test('the first line of gnet train and config.json name the backend and its device', async () => {
  assert.is(trainedOk.code, 0, trainedOk.stderr);
  const device = JSON.parse(readFileSync(join(trained, 'config.json'), 'utf8')).device as string;
  assert.match(device, /^plain JavaScript, 1 thread, on /);
  assert.ok(trainedOk.stderr.split('\n')[0]!.includes(`with the cpu backend (${device})`), trainedOk.stderr.split('\n')[0]);
});

test('eval and predict refuse saved weights that are not finite, on wasm and cpu', async () => {
  assert.is(trainedOk.code, 0, trainedOk.stderr);
  const poisoned = runWithWeights((name, values) => name.endsWith('/sigma') && values.fill(NaN));
  const image = join(tempDir('img'), 'cell.png');
  writeFileSync(image, encodePng(16, 16, new Uint8Array(16 * 16 * 4).fill(128)));
  for (const backend of ['wasm', 'cpu']) {
    const evaluated = await captureOutput(() => evalRun(poisoned, { backend, json: true }));
    assert.is(evaluated.code, 1, `eval on ${backend}: ${evaluated.stdout}`);
    assert.is(evaluated.stdout, '', 'no numbers printed');
    assert.match(evaluated.stderr, /error\[GN0803\]: the weights saved in .*model are not finite: weight \S+\/sigma is NaN .*diverged.*--lr/);
    const out = tempDir('pred');
    const predicted = await captureOutput(() => predict(poisoned, [image], { backend, out }));
    assert.is(predicted.code, 1, `predict on ${backend}: ${predicted.stdout}`);
    assert.match(predicted.stderr, /error\[GN0803\]/);
    assert.equal(readdirSync(out), [], 'no predictions written');
  }
});

test('eval on wasm and cpu agrees on a model whose weights are finite but whose outputs are NaN', async () => {
  // A negative moving variance: rsqrt gives NaN in inference mode, with every weight finite.
  const broken = runWithWeights((name, values) => name.endsWith('moving_variance') && values.fill(-1));
  const losses: number[] = [];
  for (const backend of ['wasm', 'cpu']) {
    const { code, stdout, stderr } = await captureOutput(() => evalRun(broken, { backend, json: true }));
    assert.is(code, 0, stderr);
    losses.push(JSON.parse(stdout).loss ?? NaN); // JSON writes NaN as null
    assert.match(stderr, /warning: the loss is NaN/);
  }
  assert.equal(losses.map(String), ['NaN', 'NaN'], `losses on wasm, cpu: ${losses}`);
  const healthy: number[] = [];
  for (const backend of ['wasm', 'cpu']) healthy.push(JSON.parse((await captureOutput(() => evalRun(trained, { backend, json: true }))).stdout).loss);
  assert.ok(Math.abs(healthy[0]! - healthy[1]!) < 1e-4 * Math.abs(healthy[1]!), `a healthy run evaluates alike: ${healthy}`);
});

test.run();
