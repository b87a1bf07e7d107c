/**
 * What goes wrong: a run that fails (here: a network whose train section diverges) is shown as
 * failed with its error code in every results file and retried by a rerun; bad input is refused
 * with a code and a fix before anything trains.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureRecord } from '../../runtime/experiment/cells.js';
import type { ExperimentResults } from '../../runtime/experiment/collect.js';
import { gnet, tempDir, writeBarsWithTest, writeSpecs } from './fixtures.js';

const dataDir = writeBarsWithTest(36, 9);
const spec = writeSpecs(`mnist:${dataDir}`, 'optimizer = adam(lr = 1e30)');
const out = join(tempDir('exp-fail'), 'exp');
// 12 images in batches of 8: the second step meets the weights the first step blew up.
const grid = ['--train-size', '12', '--seeds', '1', '--backend', 'cpu', '--out', out];
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const wideDir = join(out, 'runs', 'Wide', 'n12', 'seed1');

test('a diverging run is failed with its code in every results file; the others are complete; exit 1', async () => {
  const run = await gnet(['experiment', spec, ...grid]).exited;
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, '[2/2] Wide n12 seed1: failed (GN0803');
  assert.match(run.stderr, '1 run(s) failed');
  const failure = readJson<FailureRecord>(join(wideDir, 'failed.json'));
  assert.equal([failure.stage, failure.exitCode, failure.code], ['train', 1, 'GN0803']);
  assert.match(failure.message, 'diverged');
  assert.ok(failure.logTail.some((l) => l.includes('error[GN0803]')));
  assert.ok(existsSync(join(out, 'runs', 'Small', 'n12', 'seed1', 'test.json')));

  const results = readJson<ExperimentResults>(join(out, 'results.json'));
  const wide = results.networks.find((n) => n.name === 'Wide')!.cells[0]!;
  assert.equal([wide.mean, wide.failed, wide.runs[0]!.status, wide.runs[0]!.error?.code], [null, 1, 'failed', 'GN0803']);
  assert.match(readFileSync(join(out, 'results.md'), 'utf8'), '| Wide | 691 | 31.1 k | [failed (GN0803)](runs/Wide/n12/) |');
  assert.match(readFileSync(join(out, 'results.md'), 'utf8'), '[failed (GN0803 training diverged');
  assert.match(readFileSync(join(out, 'results.html'), 'utf8'), 'failed (GN0803)');
  assert.match(readFileSync(join(out, 'results.csv'), 'utf8'), 'Wide,691,0,31128,,,0,1');
});

test('a rerun retries the failed run (its old directory kept beside it) and keeps the complete one', async () => {
  const small = join(out, 'runs', 'Small', 'n12', 'seed1', 'test.json');
  const before = readFileSync(small, 'utf8');
  const run = await gnet(['experiment', spec, ...grid]).exited;
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, '1 complete, 1 to run');
  assert.ok(existsSync(`${wideDir}.failed-1/failed.json`), 'the first failure is kept');
  assert.is(readJson<FailureRecord>(join(wideDir, 'failed.json')).code, 'GN0803');
  assert.is(readFileSync(small, 'utf8'), before);
});

/** Runs gnet expecting a refusal before training: exit 1, the code, and no run directory made. */
async function refused(args: string[], code: string, ...phrases: string[]): Promise<string> {
  const dir = join(tempDir('exp-bad'), 'exp');
  const run = await gnet(['experiment', ...args, '--backend', 'cpu', '--out', dir]).exited;
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, code);
  for (const phrase of phrases) assert.match(run.stderr, phrase);
  assert.not.ok(run.stderr.includes('    at '), 'no stack trace');
  assert.not.ok(existsSync(join(dir, 'runs')), 'nothing trained');
  return run.stderr;
}

test('bad input is refused before anything trains, each with its code and how to fix it', async () => {
  await refused([spec, '--networks', 'Small,Wdie'], 'error[GN1001]', 'no network Wdie', 'did you mean Wide?', 'networks there: Small, Wide');
  await refused([spec, '--train-size', '6,50'], 'error[GN1002]', 'training size 50 is larger than the 36 training images', 'choose sizes up to 36');
  await refused([spec, '--train-size', '6,half'], 'error[GN1002]', '"half" is not a positive whole number or `all`');
  await refused([spec, '--seeds', '0'], 'error[GN1003]', 'whole number ≥ 1');
  await refused([join(tempDir('exp-none'), 'missing.gnet')], 'error[GN0601]', 'cannot read');
  const broken = join(tempDir('exp-broken'), 'broken.gnet');
  writeFileSync(broken, 'network Broken {\n  input image: 12 x 12 x 1\n  output y = image -> conv(4, size=3) -> nosuchblock\n}\n');
  await refused([broken], 'error[GN0', 'broken.gnet:3');
  const trainOnly = tempDir('exp-no-test');
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) writeFileSync(join(trainOnly, f), readFileSync(join(dataDir, f)));
  await refused([spec, '--data', `mnist:${trainOnly}`], 'error[GN1005]', 'has no test split');
});

test('an output directory holding a different experiment is refused unless --resume, which keeps what still belongs', async () => {
  const runsBefore = readdirSync(join(out, 'runs', 'Small', 'n12'));
  const other = await gnet(['experiment', spec, '--train-size', '12', '--seeds', '2', '--backend', 'cpu', '--out', out, '--networks', 'Small']).exited;
  assert.is(other.code, 1, other.stderr);
  assert.match(other.stderr, 'error[GN1004]');
  assert.match(other.stderr, 'holds a different experiment (networks removed: Wide; seeds 1 → 2); pass --resume');
  assert.equal(readdirSync(join(out, 'runs', 'Small', 'n12')), runsBefore, 'nothing trained');

  const foreign = tempDir('exp-foreign');
  writeFileSync(join(foreign, 'notes.txt'), 'mine');
  const refusedForeign = await gnet(['experiment', spec, '--train-size', '12', '--seeds', '1', '--backend', 'cpu', '--out', foreign]).exited;
  assert.is(refusedForeign.code, 1);
  assert.match(refusedForeign.stderr, 'error[GN1004]');
  assert.match(refusedForeign.stderr, 'is not empty and holds no experiment.json');

  const small = join(out, 'runs', 'Small', 'n12', 'seed1', 'test.json');
  const before = readFileSync(small, 'utf8');
  const resumed = await gnet(['experiment', spec, '--train-size', '12', '--seeds', '2', '--backend', 'cpu', '--out', out, '--networks', 'Small', '--resume']).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, 'continuing');
  assert.match(resumed.stderr, '2 runs; 1 complete, 1 to run');
  assert.is(readFileSync(small, 'utf8'), before, 'the complete run of the old plan is kept');
  const results = readJson<ExperimentResults>(join(out, 'results.json'));
  assert.equal(results.networks.map((n) => n.name), ['Small']);
  assert.is(results.networks[0]!.cells[0]!.n, 2);
  rmSync(foreign, { recursive: true });
});

test('--report on a directory without an experiment is GN1006', async () => {
  const empty = tempDir('exp-empty');
  mkdirSync(join(empty, 'x'));
  const run = await gnet(['experiment', '--report', empty]).exited;
  assert.is(run.code, 1);
  assert.match(run.stderr, 'error[GN1006]');
});

test.run();
