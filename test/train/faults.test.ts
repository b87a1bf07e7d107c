/**
 * Bad input through `gnet train` (in process): each fault is one line `gnet: error[CODE]: …` on
 * stderr with exit code 1, no stack trace, and nothing already saved is lost or half-written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../cli/commands/train.js';
import { encodeIdx, writeFile } from '../data/helpers.js';
import { CLASSIFIER_SPEC, tempDir, useCpu, writeBarsDataset } from './fixtures.js';
import { captureOutput } from './output.js';

await useCpu();

const bars = writeBarsDataset(24);

function specFile(source: string): string {
  const path = join(tempDir('spec'), 'tiny.gnet');
  writeFileSync(path, source);
  return path;
}

/** Runs `gnet train` and checks the one-line error. */
async function refused(file: string, options: Record<string, unknown>, code: string, ...fragments: string[]): Promise<void> {
  const { code: exit, stderr } = await captureOutput(() => train(file, { backend: 'cpu', ...options }));
  assert.is(exit, 1, stderr);
  const line = stderr.split('\n').find((l) => l.startsWith('gnet: error['));
  assert.ok(line, `no error line in: ${stderr}`);
  assert.ok(line!.startsWith(`gnet: error[${code}]: `), line);
  for (const f of fragments) assert.ok(line!.includes(f), `"${line}" should mention "${f}"`);
  assert.not.match(stderr, /\n\s+at /, 'no stack trace');
}

test('missing and corrupt data files (GN7001, GN7002) leave no run directory behind', async () => {
  const out = join(tempDir('runs'), 'missing');
  await refused(specFile(CLASSIFIER_SPEC('mnist:/no/such/folder')), { out }, 'GN7001', '/no/such/folder');
  assert.not.ok(existsSync(out));
  const corrupt = tempDir('corrupt');
  writeFile(join(corrupt, 'train-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3, 0, 0]));
  writeFile(join(corrupt, 'train-labels-idx1-ubyte'), encodeIdx('ubyte', [1], [0]));
  await refused(specFile(CLASSIFIER_SPEC(`mnist:${corrupt}`)), { out }, 'GN7002', 'not a valid IDX file');
});

test('labels out of range (GN7004) and images that do not fit the input (GN7006)', async () => {
  const labels = tempDir('labels');
  writeFile(join(labels, 'train-images-idx3-ubyte'), encodeIdx('ubyte', [2, 12, 12], new Uint8Array(288)));
  writeFile(join(labels, 'train-labels-idx1-ubyte'), encodeIdx('ubyte', [2], [1, 5]));
  await refused(specFile(CLASSIFIER_SPEC(`mnist:${labels}`)), {}, 'GN7004', 'label 5', '0..2');
  const large = tempDir('large');
  writeFile(join(large, 'train-images-idx3-ubyte'), encodeIdx('ubyte', [2, 28, 28], new Uint8Array(2 * 784)));
  writeFile(join(large, 'train-labels-idx1-ubyte'), encodeIdx('ubyte', [2], [0, 1]));
  await refused(specFile(CLASSIFIER_SPEC(`mnist:${large}`)), {}, 'GN7006', '28×28', '12×12');
});

test('an output that does not fit the loss (GN0806) and bad settings (GN07xx)', async () => {
  const sigmoid = CLASSIFIER_SPEC(`mnist:${bars}`).replace('dense(classes) -> softmax', 'dense(1) -> sigmoid');
  await refused(specFile(sigmoid), {}, 'GN0806', 'crossentropy', 'binary_crossentropy');
  await refused(specFile(CLASSIFIER_SPEC(`mnist:${bars}`, 'epoch = 3')), {}, 'GN0702', 'did you mean `epochs`');
  await refused(specFile(CLASSIFIER_SPEC(`mnist:${bars}`)), { optimizer: 'adamax' }, 'GN0704', 'sgd, rmsprop, adam, adagrad, adadelta');
});

test('an unwritable run directory (GN0801) and a directory that already holds a run (GN0807)', async () => {
  const root = tempDir('runs');
  writeFileSync(join(root, 'plain-file'), '');
  const file = specFile(CLASSIFIER_SPEC(`mnist:${bars}`, 'epochs = 1'));
  await refused(file, { out: join(root, 'plain-file', 'run') }, 'GN0801', 'plain-file');
  const out = join(root, 'run');
  assert.is((await captureOutput(() => train(file, { backend: 'cpu', out }))).code, 0);
  const checkpoints = () => readdirSync(join(out, 'checkpoint')).sort().map((name) => readFileSync(join(out, 'checkpoint', name), 'utf8'));
  const before = checkpoints();
  await refused(file, { out }, 'GN0807', 'already holds a run', `continue it with --resume ${out}`);
  assert.equal(checkpoints(), before, 'the old run is untouched');
});

test('--resume with a checkpoint from another spec (GN0804) keeps the run as it was', async () => {
  const out = join(tempDir('runs'), 'run');
  const file = specFile(CLASSIFIER_SPEC(`mnist:${bars}`, 'epochs = 1'));
  assert.is((await captureOutput(() => train(file, { backend: 'cpu', out }))).code, 0);
  const files = readdirSync(join(out, 'checkpoint')).sort();
  const other = specFile(CLASSIFIER_SPEC(`mnist:${bars}`, 'epochs = 2').replace('conv(6, size=3)', 'conv(5, size=3)'));
  await refused(other, { resume: out }, 'GN0804', 'another network', 'scores.conv/kernel');
  assert.equal(readdirSync(join(out, 'checkpoint')).sort(), files);
  await refused(file, { resume: out, lr: 0.5 }, 'GN0705', '--lr 0.5');
});

test.run();
