/**
 * The experiment's pure parts: flag parsing, statistics, plan comparison, reading a child's error,
 * and the results files written from run directories laid out by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GnetError } from '../../runtime/errors.js';
import { cellDir, cellsOf, startedKey, type FailureRecord, type TestRecord } from '../../runtime/experiment/cells.js';
import { collectResults } from '../../runtime/experiment/collect.js';
import { type ExperimentPlan, cellKey, planDifferences, planTrainOfSize } from '../../runtime/experiment/plan.js';
import { parseSeeds, parseTrainSizes, requestFromFlags } from '../../runtime/experiment/request.js';
import { errorOf } from '../../runtime/experiment/run-cell.js';
import { meanStd } from '../../runtime/experiment/stats.js';
import { RESULT_FILES, writeResults } from '../../runtime/experiment/write-results.js';
import { flagArgs } from '../../cli/commands/experiment-flags.js';
import { tempDir } from './fixtures.js';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    if (error instanceof GnetError) return error.code;
    throw error;
  }
  return 'no error';
};

test('--train-size: sorted, `all` last; repeats, zero, fractions and words are GN1002', () => {
  assert.equal(parseTrainSizes('5000, all,1000'), [1000, 5000, 'all']);
  assert.equal(parseTrainSizes('all'), ['all']);
  for (const bad of ['0', '10,10', '1.5', 'ten', '', '100,,200', '-5']) assert.is(code(() => parseTrainSizes(bad)), 'GN1002', bad);
});

test('--seeds: a whole number ≥ 1, else GN1003', () => {
  assert.is(parseSeeds('3'), 3);
  for (const bad of ['0', '-1', '2.5', 'three', '']) assert.is(code(() => parseSeeds(bad)), 'GN1003', bad);
});

test('requestFromFlags: defaults, the train-section flags kept apart, --out required', () => {
  const r = requestFromFlags(['a.gnet'], { out: 'exp', trainSize: '100,all', seeds: '2', epochs: 3, augment: false, networks: 'A,B', jobs: 2 });
  assert.equal(r.trainSizes, [100, 'all']);
  assert.is(r.seeds, 2);
  assert.equal(r.networks, ['A', 'B']);
  assert.equal(r.train, { epochs: 3, augment: false });
  assert.is(r.backend, 'auto');
  assert.is(r.jobs, 2);
  assert.is(requestFromFlags(['a.gnet'], { out: 'x' }).seeds, 3);
  assert.is(code(() => requestFromFlags(['a.gnet'], {})), 'GN1005');
  assert.is(code(() => requestFromFlags(['a.gnet'], { out: 'x', networks: 'A,A' })), 'GN1001');
});

test('train-section overrides go back to gnet train flags', () => {
  assert.equal(flagArgs({ epochs: 2, weightDecay: 0.1, augment: false, validationSplit: 0 }), ['--epochs', '2', '--weight-decay', '0.1', '--no-augment', '--validation-split', '0']);
  assert.equal(flagArgs({ augment: true, schedule: 'cosine(alpha = 0.1)' }), ['--augment', '--schedule', 'cosine(alpha = 0.1)']);
});

test('mean ± sample standard deviation (n − 1); one value has no spread', () => {
  const { mean, std } = meanStd([0.8, 0.9, 1.0]);
  assert.ok(Math.abs(mean! - 0.9) < 1e-12);
  assert.ok(Math.abs(std! - 0.1) < 1e-12);
  assert.equal(meanStd([0.5]), { mean: 0.5, std: null });
  assert.equal(meanStd([]), { mean: null, std: null });
});

const plan = (over: Partial<ExperimentPlan> = {}): ExperimentPlan => ({
  format: 'gnet-experiment',
  version: 1,
  gnet: '0.1.0',
  createdAt: '2026-01-01T00:00:00Z',
  files: [{ path: '/s/a.gnet', sha256: 'aa' }],
  networks: [
    { name: 'A', file: '/s/a.gnet', trainable: 100, nonTrainable: 0, macs: 2000, metrics: ['accuracy'], data: 'mnist:/d' },
    { name: 'B', file: '/s/a.gnet', trainable: 50, nonTrainable: 4, macs: 1_500_000, metrics: ['accuracy'], data: 'mnist:/d' },
  ],
  data: null,
  trainSizes: [10, 'all'],
  seeds: 2,
  train: {},
  backend: 'cpu',
  workers: null,
  device: null,
  metric: 'accuracy',
  ...over,
});

test('plan differences name what changed; the same plan has none', () => {
  assert.equal(planDifferences(plan(), plan({ createdAt: 'later' })), []);
  assert.equal(planDifferences(plan(), plan({ seeds: 3 })), ['seeds 2 → 3']);
  assert.equal(planDifferences(plan(), plan({ trainSizes: [10] })), ['training-set sizes 10,all → 10']);
  assert.equal(planDifferences(plan(), plan({ files: [{ path: '/s/a.gnet', sha256: 'bb' }] })), ['/s/a.gnet changed since the experiment started']);
  assert.equal(planDifferences(plan(), plan({ networks: plan().networks.slice(0, 1) })), ['networks removed: B']);
  assert.ok(planDifferences(plan(), plan({ train: { epochs: 3 } }))[0]!.startsWith('training settings'));
});

test('the cell key changes with what a run is trained with, not with the grid', () => {
  assert.is(cellKey(plan(), 'A', 10), cellKey(plan({ seeds: 5, trainSizes: [1] }), 'A', 10));
  assert.is.not(cellKey(plan(), 'A', 10), cellKey(plan({ train: { epochs: 3 } }), 'A', 10));
  assert.is.not(cellKey(plan(), 'A', 10), cellKey(plan({ files: [{ path: '/s/a.gnet', sha256: 'bb' }] }), 'A', 10));
  assert.is.not(cellKey(plan(), 'A', 10), cellKey(plan(), 'B', 10));
});

test('per-size settings: a size keys its cells by its own row over the shared settings', () => {
  const bySize = plan({ train: { epochs: 2, batch: 4 }, trainBySize: { 10: { epochs: 5 }, all: { epochs: 2 } } });
  assert.equal([planTrainOfSize(bySize, 10), planTrainOfSize(bySize, 'all')], [{ epochs: 5, batch: 4 }, { epochs: 2, batch: 4 }]);
  // A size whose row repeats the shared value keeps the key it had without rows; another row changes its key only.
  assert.is(cellKey(bySize, 'A', 'all'), cellKey(plan({ train: { epochs: 2, batch: 4 } }), 'A', 'all'));
  assert.is(cellKey(bySize, 'A', 10), cellKey(plan({ train: { epochs: 5, batch: 4 } }), 'A', 10));
  assert.is.not(cellKey(bySize, 'A', 10), cellKey(bySize, 'A', 'all'));
  assert.equal(planDifferences(plan(), bySize).at(-1), 'settings per training-set size {} → {"10":{"epochs":5},"all":{"epochs":2}}');
});

test("a child's error: the last `gnet: error[…]` line, a compile diagnostic, or how it ended", () => {
  assert.equal(errorOf({ output: 'epoch 1\ngnet: error[GN0803]: training diverged; lower --lr\n', exitCode: 1, signal: null }, 'train'), { code: 'GN0803', message: 'training diverged; lower --lr' });
  assert.equal(errorOf({ output: 'error[GN0201]: unknown name `x`\n  --> a.gnet:1:1\n', exitCode: 1, signal: null }, 'train'), { code: 'GN0201', message: 'unknown name `x`' });
  const killed = errorOf({ output: 'epoch 1\n', exitCode: null, signal: 'SIGKILL' }, 'train');
  assert.is(killed.code, 'GN1010');
  assert.match(killed.message, 'was killed by SIGKILL');
  assert.match(errorOf({ output: 'gnet: internal error: boom\n', exitCode: 3, signal: null }, 'eval').message, 'exited with code 3: internal error: boom');
});

/** test.json / failed.json by hand, as runs leave them. */
function layOut(out: string, p: ExperimentPlan, values: Record<string, number | 'failed'>): void {
  for (const cell of cellsOf(p)) {
    const dir = cellDir(out, cell);
    const value = values[`${cell.network}/${cell.size}/${cell.seed}`];
    if (value === undefined) continue;
    mkdirSync(dir, { recursive: true });
    if (value === 'failed') {
      const failure: FailureRecord = { format: 'gnet-experiment-failure', version: 1, network: cell.network, trainSize: cell.size, seed: cell.seed, stage: 'train', exitCode: 1, signal: null, code: 'GN0803', message: 'training diverged', logTail: [], failedAt: '' };
      writeFileSync(join(dir, 'failed.json'), JSON.stringify(failure));
      continue;
    }
    const record: TestRecord = {
      format: 'gnet-experiment-test', version: 1, network: cell.network, trainSize: cell.size, seed: cell.seed, cellKey: cellKey(p, cell.network, cell.size), split: 'test', data: 'MNIST', images: 10, loss: 1 - value,
      metrics: { accuracy: value }, checkpoint: 'model', trainImages: cell.size === 'all' ? 60 : cell.size, trainSeconds: 1.5, evalSeconds: 0.5, finishedAt: '',
    };
    writeFileSync(join(dir, 'test.json'), JSON.stringify(record));
  }
}

test('results from run directories: mean ± std per cell, best mean in bold, failed and missing runs marked', () => {
  const out = tempDir('exp-units');
  const p = plan();
  layOut(out, p, { 'A/10/1': 0.5, 'A/10/2': 0.7, 'B/10/1': 0.9, 'B/10/2': 'failed', 'A/all/1': 0.8, 'B/all/1': 'failed', 'B/all/2': 'failed' });
  const results = collectResults(out, p);
  const [a, b] = results.networks;
  assert.ok(Math.abs(a!.cells[0]!.mean! - 0.6) < 1e-12);
  assert.ok(Math.abs(a!.cells[0]!.std! - Math.sqrt(0.02)) < 1e-12);
  assert.equal([b!.cells[0]!.mean, b!.cells[0]!.std, b!.cells[0]!.n, b!.cells[0]!.failed], [0.9, null, 1, 1]);
  assert.equal([a!.cells[0]!.best, b!.cells[0]!.best, a!.cells[1]!.best, b!.cells[1]!.best], [false, true, true, false]);
  assert.is(a!.cells[1]!.runs[1]!.status, 'pending');
  assert.equal(b!.cells[1]!.runs.map((r) => r.error?.code), ['GN0803', 'GN0803']);

  writeResults(out, p);
  const md = readFileSync(join(out, 'results.md'), 'utf8');
  assert.match(md, '| A | 100 | 2 k | [0.6000 ± 0.1414](runs/A/n10/) | **[0.8000 (1/2 seeds)](runs/A/nall/)** |');
  assert.match(md, '| B | 50 | 1.5 M | **[0.9000 (1/2 seeds; 1 failed: GN0803)](runs/B/n10/)** | [failed (GN0803)](runs/B/nall/) |');
  assert.match(md, '[0.7000](runs/A/n10/seed2/)');
  assert.match(md, '[failed (GN0803 training diverged)](runs/B/nall/seed1/)');
  const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
  assert.is(csv[0], 'network,trainable_params,non_trainable_params,multiply_adds,accuracy_mean_n10,accuracy_std_n10,runs_n10,failed_n10,accuracy_mean_nall,accuracy_std_nall,runs_nall,failed_nall');
  assert.is(csv[2], 'B,50,4,1500000,0.9,,1,1,,,0,2');
  const html = readFileSync(join(out, 'results.html'), 'utf8');
  assert.match(html, '<b><a href="runs/B/n10/">0.9000 (1/2 seeds; 1 failed: GN0803)</a></b>');
  assert.match(html, 'href="runs/A/n10/seed1/report.html"');
  assert.is((html.match(/class="error-bar"/g) ?? []).length, 1, 'an error bar where two seeds gave values');
  for (const file of RESULT_FILES) assert.ok(readFileSync(join(out, file), 'utf8').length > 0, file);
});

test('loss as the metric: the lowest mean is the best', () => {
  const out = tempDir('exp-units-loss');
  const p = plan({ trainSizes: [10], seeds: 1 });
  layOut(out, p, { 'A/10/1': 0.5, 'B/10/1': 0.9 });
  const [a, b] = collectResults(out, p, 'loss').networks;
  assert.equal([a!.cells[0]!.mean, b!.cells[0]!.best], [0.5, true]);
});

test('a run trained under other settings (another cell key) is stale, not counted', () => {
  const out = tempDir('exp-units-stale');
  const p = plan({ trainSizes: [10], seeds: 1 });
  layOut(out, p, { 'A/10/1': 0.5, 'B/10/1': 0.9 });
  const changed = plan({ trainSizes: [10], seeds: 1, train: { epochs: 9 } });
  const [a] = collectResults(out, changed).networks;
  assert.equal([a!.cells[0]!.mean, a!.cells[0]!.runs[0]!.status], [null, 'stale']);
});

test("the key a run was started with: test.json's, else cell.json's, else unknown", () => {
  const out = tempDir('exp-units-key');
  const p = plan({ trainSizes: [10], seeds: 1 });
  layOut(out, p, { 'A/10/1': 0.5 });
  assert.is(startedKey(cellDir(out, { network: 'A', size: 10, seed: 1 })), cellKey(p, 'A', 10));
  const half = cellDir(out, { network: 'B', size: 10, seed: 1 });
  mkdirSync(half, { recursive: true });
  assert.is(startedKey(half), undefined);
  writeFileSync(join(half, 'cell.json'), JSON.stringify({ cellKey: 'abc' }));
  assert.is(startedKey(half), 'abc');
});

test.run();
