/**
 * Ctrl-C (SIGINT) and SIGHUP, raised in this process to spare start-ups, stop a run after saving a
 * checkpoint, with exit codes 130 and 129. Real processes killed with SIGINT, SIGTERM and SIGKILL on
 * every engine are in parity.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../cli/commands/train.js';
import { CLASSIFIER_SPEC, tempDir, useCpu, writeBarsDataset } from './fixtures.js';
import { captureOutput } from './output.js';
import { checkpointStep } from './child.js';

await useCpu();

const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${writeBarsDataset(72)}`, 'epochs = 2'));


test('Ctrl-C (SIGINT) stops after saving a checkpoint, with exit code 130 and how to continue', async () => {
  const out = join(tempDir('interrupt'), 'run');
  const running = captureOutput(() => train(spec, { backend: 'cpu', out, checkpointEvery: 2 }));
  while (checkpointStep(out) < 2) await new Promise((r) => setTimeout(r, 20));
  process.emit('SIGINT');
  const { code, stderr } = await running;
  assert.is(code, 130, stderr);
  assert.match(stderr, /checkpoint saved\. Continue with: gnet train .* --resume /);
  const [, step] = /step (\d+); checkpoint saved/.exec(stderr) ?? [];
  assert.is(checkpointStep(out), Number(step));
  assert.ok(Number(step) < 14, 'stopped before the end');
});

test('SIGHUP (the terminal closed) saves a checkpoint and exits like Ctrl-C, with code 129', async () => {
  const out = join(tempDir('hangup'), 'run');
  const running = captureOutput(() => train(spec, { backend: 'cpu', out, checkpointEvery: 2 }));
  while (checkpointStep(out) < 2) await new Promise((r) => setTimeout(r, 20));
  process.emit('SIGHUP');
  const { code, stderr } = await running;
  assert.is(code, 129, stderr);
  assert.match(stderr, /gnet: SIGHUP: stopping after this step and saving a checkpoint \(SIGHUP again to quit at once\)/);
  const [, step] = /step (\d+); checkpoint saved/.exec(stderr) ?? [];
  assert.is(checkpointStep(out), Number(step));
});

test.run();
