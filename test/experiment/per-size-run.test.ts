/**
 * An experiment whose sizes train differently (`epochs` and a stopping rule per size), through the real
 * command line; and the test pass on the run's own engine: a torch run (with --threads as given) is
 * tested on torch, and its figure is what TensorFlow.js computes from the same weights.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRecord } from '../../runtime/experiment/cells.js';
import type { RunRecord } from '../../runtime/train/run-dir.js';
import { torchTestsRun } from '../torch/helpers.js';
import { gnet, tempDir, writeBarsWithTest } from './fixtures.js';

const dataDir = writeBarsWithTest(36, 9);
const spec = join(tempDir('exp-per-size'), 'sizes.gnet');
writeFileSync(spec, `network Net(classes = 3) {
  input image: 12 x 12 x 1
  output scores = image -> conv(4, size=3) -> relu -> global_avgpool -> dense(classes) -> softmax
  train { data = "mnist:${dataDir}" optimizer = adam(lr = 0.05) epochs = 1 batch = 8 validation_split = 0.25 }
}

experiment BySize {
  train_sizes = [6, all]
  seeds = 1
  backend = cpu
  // Size 6 may train 5 epochs but stops when val accuracy has not improved by more than 1 (never) for 1 epoch.
  epochs = { 6: 5, all: 2 }
  early_stop = { 6: 1, all: 3 }
  min_delta = { 6: 1, all: 0 }
}

experiment OnTorch {
  train_sizes = [all]
  seeds = 1
  backend = torch
  epochs = 1
}
`);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const out = join(tempDir('exp-per-size-out'), 'exp');
const run = await gnet(['experiment', spec, '--experiment', 'BySize', '--out', out]).exited;
const cell = (size: number | 'all', dir = out) => join(dir, 'runs', 'Net', `n${size}`, 'seed1');

test('each size trains with its own row: epochs and the stopping rule', () => {
  assert.is(run.code, 0, run.stderr);
  const small = readJson<RunRecord>(join(cell(6), 'config.json')).train;
  const all = readJson<RunRecord>(join(cell('all'), 'config.json')).train;
  assert.equal([small.epochs, small.earlyStop, small.minDelta, small.batch], [5, 1, 1, 8]);
  assert.equal([all.epochs, all.earlyStop, all.minDelta], [2, 3, 0]);
});

test('a run with a stopping rule stops by it and is tested on its best checkpoint', async () => {
  const small = readJson<TestRecord>(join(cell(6), 'test.json'));
  // Epoch 1 is the best; epoch 2 does not beat it by more than 1, and patience 1 has run out.
  assert.equal([small.epochs, small.checkpoint, small.backend], [2, 'best', 'cpu']);
  const byHand = await gnet(['eval', cell(6), '--split', 'test', '--json', '--backend', 'cpu', '--checkpoint', 'best']).exited;
  assert.is(byHand.code, 0, byHand.stderr);
  const best = JSON.parse(byHand.stdout) as { loss: number; metrics: { accuracy: number } };
  assert.equal([small.loss, small.metrics.accuracy], [best.loss, best.metrics.accuracy]);
  const last = await gnet(['eval', cell(6), '--split', 'test', '--json', '--backend', 'cpu']).exited;
  assert.is.not((JSON.parse(last.stdout) as { loss: number }).loss, small.loss, 'the final weights are not the ones tested');
  const refused = await gnet(['eval', cell(6), '--backend', 'cpu', '--threads', '1']).exited;
  assert.equal([refused.code, /error\[GN0703\]: --threads 1 applies to the torch backend only/.test(refused.stderr)], [1, true], refused.stderr);
  // Size all ran out its 2 epochs without a stop and is still tested on its best checkpoint (early_stop is set).
  const all = readJson<TestRecord>(join(cell('all'), 'test.json'));
  assert.equal([all.epochs, all.checkpoint], [2, 'best']);
});

if (torchTestsRun('per-size-run.test.ts')) {
  test("a torch run's test pass runs on torch, and gives what TensorFlow.js computes from its weights", async () => {
    const torchOut = join(tempDir('exp-per-size-torch'), 'exp');
    const done = await gnet(['experiment', spec, '--experiment', 'OnTorch', '--threads', '1', '--out', torchOut]).exited;
    assert.is(done.code, 0, done.stderr);
    const record = readJson<TestRecord>(join(cell('all', torchOut), 'test.json'));
    assert.equal([record.backend, record.checkpoint, record.epochs], ['torch', 'model', 1]);
    const log = readFileSync(join(cell('all', torchOut), 'cell.log'), 'utf8');
    assert.match(log, /starting the run: gnet train .* --backend torch --threads 1\n/);
    assert.match(log, /gnet eval \S+ --split test --json --backend torch --threads 1\n/);
    const onTfjs = await gnet(['eval', cell('all', torchOut), '--split', 'test', '--json', '--backend', 'cpu']).exited;
    assert.is(onTfjs.code, 0, onTfjs.stderr);
    const tfjs = JSON.parse(onTfjs.stdout) as { loss: number; images: number; metrics: { accuracy: number } };
    assert.equal([record.images, record.metrics.accuracy], [tfjs.images, tfjs.metrics.accuracy]);
    assert.ok(Math.abs(record.loss - tfjs.loss) < 1e-4, `torch ${record.loss} vs tfjs ${tfjs.loss}`);
  });
}

test.run();
