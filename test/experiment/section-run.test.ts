/**
 * `gnet experiment FILE` takes its settings from the file's experiment section, through the real
 * command line: `--experiment` picks the section, a flag overrides its key, the section's train keys
 * override the networks' train sections in every run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from '../../runtime/experiment/plan.js';
import type { RunRecord } from '../../runtime/train/run-dir.js';
import { gnet, tempDir, writeBarsWithTest } from './fixtures.js';

const dataDir = writeBarsWithTest(36, 9);
const spec = join(tempDir('exp-section'), 'table.gnet');
const net = (name: string, maps: number) => `network ${name}(classes = 3) {
  input image: 12 x 12 x 1
  output scores = image -> conv(${maps}, size=3) -> relu -> global_avgpool -> dense(classes) -> softmax
  train { data = "mnist:${dataDir}" optimizer = adam(lr = 0.05) epochs = 3 batch = 8 validation_split = 0 }
}
`;
writeFileSync(spec, `${net('Small', 4)}
${net('Wide', 8)}
experiment Quick {
  networks = [Wide]
  train_sizes = [6, all]
  seeds = 2
  backend = cpu
  jobs = 2
  epochs = 1
  batch = 4
}

experiment Full {
  train_sizes = all
  seeds = 3
}
`);
const out = join(tempDir('exp-section-out'), 'exp');
// --seeds overrides the section's 2; epochs and batch come from the section, over the train sections' 3 and 8.
const run = await gnet(['experiment', spec, '--experiment', 'Quick', '--seeds', '1', '--out', out]).exited;
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

test('the picked section sets the grid; a flag overrides its key', () => {
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, '1 network(s) × 2 size(s) × 1 seed(s) = 2 runs');
  const plan = readJson<ExperimentPlan>(join(out, 'experiment.json'));
  assert.equal(plan.networks.map((n) => n.name), ['Wide']);
  assert.equal([plan.trainSizes, plan.seeds, plan.backend], [[6, 'all'], 1, 'cpu']);
  assert.equal(plan.train, { epochs: 1, batch: 4 });
});

test("the section's train keys override the network's train section in every run", () => {
  for (const size of [6, 'all']) {
    const config = readJson<RunRecord>(join(out, 'runs', 'Wide', `n${size}`, 'seed1', 'config.json'));
    assert.equal([config.spec.network, config.train.epochs, config.train.batch, config.train.seed], ['Wide', 1, 4, 1]);
    assert.equal(config.train.optimizer, { name: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  }
});

test('several sections and no --experiment: refused before anything trains, naming them', async () => {
  const refused = await gnet(['experiment', spec, '--out', join(tempDir('exp-section-none'), 'exp')]).exited;
  assert.is(refused.code, 1);
  assert.match(refused.stderr, 'error[GN1005]');
  assert.match(refused.stderr, '2 experiments (Quick, Full); pick one with --experiment NAME');
});

test('a section with an error is printed as gnet check prints it, and nothing trains', async () => {
  const bad = join(tempDir('exp-section-bad'), 'bad.gnet');
  writeFileSync(bad, `${net('Small', 4)}\nexperiment {\n  networks = [Smal]\n}\n`);
  const refused = await gnet(['experiment', bad, '--out', join(tempDir('exp-section-bad-out'), 'exp')]).exited;
  assert.is(refused.code, 1);
  assert.match(refused.stderr, 'error[GN0723]: no network `Smal` in this file or its imports');
  assert.match(refused.stderr, 'did you mean `Small`?');
});

test.run();
