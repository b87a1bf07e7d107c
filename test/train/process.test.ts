/**
 * `gnet train` as a separate process: killed with SIGKILL in the middle of a run it leaves a
 * loadable checkpoint, and --resume finishes the run from there. Ctrl-C (SIGINT) and SIGHUP (raised
 * in this process to spare more start-ups) stop a run after saving a checkpoint, with exit codes
 * 130 and 129.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../cli/commands/train.js';
import { readLog } from '../../runtime/train/log.js';
import { CLASSIFIER_SPEC, tempDir, useCpu, writeBarsDataset } from './fixtures.js';
import { captureOutput } from './output.js';
import { type Child, checkpointStep, gnet, waitFor } from './child.js';

await useCpu();

const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${writeBarsDataset(72)}`, 'epochs = 2'));

const gnetTrain = (...args: string[]) => gnet(['train', spec, '--backend', 'cpu', ...args]);
const waitForStep = (out: string, step: number, child: Child) => waitFor(() => checkpointStep(out) >= step, child, `step ${step}`);

test('SIGKILL in the middle of a run leaves a checkpoint that --resume finishes from', async () => {
  const out = join(tempDir('kill'), 'run');
  const first = gnetTrain('--out', out, '--checkpoint-every', '1');
  await waitForStep(out, 4, first);
  first.process.kill('SIGKILL');
  assert.is((await first.exited).signal, 'SIGKILL');
  const killedAt = checkpointStep(out);
  assert.ok(killedAt >= 4 && killedAt < 14, `killed at step ${killedAt}`);

  const resumed = await gnetTrain('--resume', out).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  const firstProgress = resumed.stderr.split('\n').find((l) => l.startsWith('epoch '))!;
  const [, epoch, step] = /^epoch (\d+)\/2 step (\d+)/.exec(firstProgress) ?? [];
  assert.ok(Number(epoch) > 1 || Number(step) > 1, `resumed where it stopped, not from the start: ${firstProgress}`);
  assert.equal(readLog(join(out, 'log.jsonl')).map((r) => [r.epoch, r.step]), [[1, 7], [2, 14]]);
  assert.is(checkpointStep(out), 14);
  assert.ok(existsSync(join(out, 'model', 'model.json')));
});

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
