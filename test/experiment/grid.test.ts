/**
 * A whole experiment through the real command line: two networks, two training-set sizes, two
 * seeds, one short epoch, two runs at a time. The table's numbers are checked against the run
 * directories, the parameter counts against `gnet report`, and the training subsets for being the
 * same for every network of a seed, stratified, and apart from the test split.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset, parseDataSource } from '../../runtime/data/index.js';
import type { TestRecord } from '../../runtime/experiment/cells.js';
import type { ExperimentResults } from '../../runtime/experiment/collect.js';
import type { RunRecord } from '../../runtime/train/run-dir.js';
import { gnet, tempDir, writeBarsWithTest, writeSpecs } from './fixtures.js';

const dataDir = writeBarsWithTest(36, 9);
const spec = writeSpecs(`mnist:${dataDir}`);
const out = join(tempDir('exp-grid'), 'exp');
const NETWORKS = ['Small', 'Wide'];
const SIZES = [6, 'all'] as const;
const SEEDS = [1, 2];

const run = await gnet(['experiment', spec, '--train-size', 'all,6', '--seeds', '2', '--backend', 'cpu', '--jobs', '2', '--out', out]).exited;
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const cellPath = (network: string, size: number | 'all', seed: number) => join(out, 'runs', network, `n${size}`, `seed${seed}`);

test('every cell is a complete gnet train run with its test.json, and the command says so', () => {
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, '2 network(s) × 2 size(s) × 2 seed(s) = 8 runs; 0 complete, 8 to run, 2 at a time');
  assert.match(run.stderr, '[8/8]');
  for (const network of NETWORKS) {
    for (const size of SIZES) {
      for (const seed of SEEDS) {
        const dir = cellPath(network, size, seed);
        const config = readJson<RunRecord>(join(dir, 'config.json'));
        assert.equal([config.spec.network, config.train.seed, config.train.trainSize, config.train.epochs], [network, seed, size === 'all' ? 36 : size, 1]);
        assert.ok(existsSync(join(dir, 'model', 'model.json')), `${dir} has its final model`);
        const t = readJson<TestRecord>(join(dir, 'test.json'));
        assert.equal([t.network, t.trainSize, t.seed, t.split, t.images, t.checkpoint], [network, size, seed, 'test', 9, 'model']);
        assert.is(typeof t.metrics.accuracy, 'number');
      }
    }
  }
});

test("results.json: each cell's mean and sample std are those of its runs' test.json; the best mean is marked", () => {
  const results = readJson<ExperimentResults>(join(out, 'results.json'));
  assert.equal(results.trainSizes, [6, 'all']);
  assert.equal(results.networks.map((n) => n.name), NETWORKS);
  for (const [column, size] of SIZES.entries()) {
    const means = results.networks.map((n) => n.cells[column]!.mean!);
    for (const net of results.networks) {
      const values = SEEDS.map((seed) => readJson<TestRecord>(join(cellPath(net.name, size, seed), 'test.json')).metrics.accuracy as number);
      const mean = (values[0]! + values[1]!) / 2;
      const std = Math.abs(values[0]! - values[1]!) / Math.SQRT2;
      const cell = net.cells[column]!;
      assert.ok(Math.abs(cell.mean! - mean) < 1e-12 && Math.abs(cell.std! - std) < 1e-12, `${net.name} n${size}`);
      assert.equal(cell.runs.map((r) => r.value), values);
      assert.equal(cell.runs.map((r) => r.link), SEEDS.map((s) => `runs/${net.name}/n${size}/seed${s}`));
      assert.is(cell.best, cell.mean === Math.max(...means));
    }
  }
});

test('results.md shows the same numbers, each run linked to its directory', () => {
  const md = readFileSync(join(out, 'results.md'), 'utf8');
  for (const network of NETWORKS) {
    for (const size of SIZES) {
      for (const seed of SEEDS) {
        const t = readJson<TestRecord>(join(cellPath(network, size, seed), 'test.json'));
        const link = `runs/${network}/n${size}/seed${seed}/`;
        assert.match(md, `[${(t.metrics.accuracy as number).toFixed(4)}](${link})`);
        assert.ok(statSync(join(out, link)).isDirectory());
      }
    }
  }
  const results = readJson<ExperimentResults>(join(out, 'results.json'));
  for (const net of results.networks) {
    const cell = net.cells[0]!;
    assert.match(md, `${cell.mean!.toFixed(4)} ± ${cell.std!.toFixed(4)}`);
  }
  assert.match(readFileSync(join(out, 'results.html'), 'utf8'), '<svg');
  assert.is(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').length, 3);
});

test('trainable parameters and multiply-adds are the numbers gnet report gives', async () => {
  const report = await gnet(['report', spec, '--format', 'json']).exited;
  assert.is(report.code, 0, report.stderr);
  const expected = (JSON.parse(report.stdout) as { network: string; totals: { trainable: number; macs: number } }[]).map((r) => [r.network, r.totals.trainable, r.totals.macs]);
  const results = readJson<ExperimentResults>(join(out, 'results.json'));
  assert.equal(results.networks.map((n) => [n.name, n.trainable, n.macs]), expected);
});

interface SubsetFile {
  sha256: string;
  count: number;
  perClass: Record<string, number>;
  indices: string;
}

test('a seed draws the same stratified subset for every network, as the run itself draws it, apart from the test split', () => {
  const decode = (prefix: string, count: number) => readFileSync(join(dataDir, `${prefix}-images-idx3-ubyte`)).subarray(16, 16 + count * 144);
  const trainPixels = decode('train', 36);
  const testPixels = decode('t10k', 9);
  const testImages = new Set(Array.from({ length: 9 }, (_, i) => testPixels.subarray(i * 144, (i + 1) * 144).toString('hex')));
  const drawn: string[] = [];
  for (const seed of SEEDS) {
    const [small, wide] = NETWORKS.map((n) => readJson<SubsetFile>(join(cellPath(n, 6, seed), 'subset.json')));
    assert.is(small!.sha256, wide!.sha256, `seed ${seed}: one subset for both networks`);
    assert.equal(small!.perClass, { 0: 2, 1: 2, 2: 2 });
    const indices = readJson<{ indices: number[] }>(join(out, small!.indices)).indices;
    assert.is(indices.length, 6);
    for (const network of NETWORKS) {
      // What `gnet train` draws from the run's saved configuration.
      const { train } = readJson<RunRecord>(join(cellPath(network, 6, seed), 'config.json'));
      const opened = openDataset(parseDataSource(train.data), { inputShape: [12, 12, 1], classes: 3, task: 'classification', trainSize: train.trainSize ?? undefined, validationSplit: train.validationSplit, seed: train.seed });
      assert.equal(Array.from(opened.samples.train), indices, `${network} seed ${seed} trained on the recorded subset`);
      assert.is(readJson<{ trainCount: number }>(join(cellPath(network, 6, seed), 'data.json')).trainCount, 6);
    }
    for (const i of indices) assert.not.ok(testImages.has(trainPixels.subarray(i * 144, (i + 1) * 144).toString('hex')), `training image ${i} is not a test image`);
    drawn.push(small!.sha256);
  }
  assert.is.not(drawn[0], drawn[1], 'another seed draws another subset');
});

test('rerunning the same command trains nothing; --report rebuilds the results from the run directories alone', async () => {
  const before = statSync(join(cellPath('Small', 6, 1), 'test.json')).mtimeMs;
  const again = await gnet(['experiment', spec, '--train-size', '6,all', '--seeds', '2', '--backend', 'cpu', '--out', out]).exited;
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, '8 complete, 0 to run');
  assert.is(statSync(join(cellPath('Small', 6, 1), 'test.json')).mtimeMs, before);

  const original = readJson<ExperimentResults>(join(out, 'results.json'));
  for (const file of ['results.md', 'results.csv', 'results.json', 'results.html']) rmSync(join(out, file));
  const rebuilt = await gnet(['experiment', '--report', out]).exited;
  assert.is(rebuilt.code, 0, rebuilt.stderr);
  const fresh = readJson<ExperimentResults>(join(out, 'results.json'));
  assert.equal({ ...fresh, generatedAt: '' }, { ...original, generatedAt: '' });
  for (const file of ['results.md', 'results.csv', 'results.html']) assert.ok(existsSync(join(out, file)), file);
});

test.run();
