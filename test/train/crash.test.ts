/**
 * `gnet train` processes killed with SIGKILL at exact points of a checkpoint write (test/support/cli-hooks.mjs's
 * GNET_TEST_KILL_BEFORE_RENAME): before the first checkpoint exists, and between a checkpoint's .bin
 * and its manifest. A second process on a run, SIGTERM and a full tmpfs are in parity.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { LOCK_FILE } from '../../runtime/train/run-lock.js';
import { checkpointStep, gnet } from './child.js';
import { CLASSIFIER_SPEC, tempDir, writeBarsDataset } from './fixtures.js';

const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${writeBarsDataset(72)}`, 'epochs = 2'));
const gnetTrain = (args: string[], env: Record<string, string> = {}) => gnet(['train', spec, '--backend', 'cpu', ...args], env);
const epochsLogged = (out: string) => readLog(join(out, 'log.jsonl')).map((r) => r.epoch);
const leftovers = (out: string) => readdirSync(join(out, 'checkpoint')).filter((n) => n.includes('.tmp-'));

test('SIGKILL while the first checkpoint is written: --resume takes over the stale lock and starts the run again, saying so', async () => {
  const out = join(tempDir('first'), 'run');
  const killed = await gnetTrain(['--out', out, '--checkpoint-every', '3'], { GNET_TEST_KILL_BEFORE_RENAME: '^step-.*\\.bin$' }).exited;
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(listCheckpoints(join(out, 'checkpoint')), [], 'no checkpoint exists');
  assert.ok(existsSync(join(out, LOCK_FILE)), 'the killed process left its lock');

  const resumed = await gnetTrain(['--resume', out]).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /gnet: took over the lock of .*run, left by process \d+ .*no longer running/);
  assert.match(resumed.stderr, /run has no checkpoint \(it stopped before its first one\); starting it again from epoch 1 with its saved configuration/);
  assert.equal(readLog(join(out, 'log.jsonl')).map((r) => [r.epoch, r.step]), [[1, 7], [2, 14]]);
  assert.equal(leftovers(out), []);
});

test('SIGKILL between a checkpoint\'s .bin and its manifest: the previous checkpoint is the newest, and --resume continues from it', async () => {
  const out = join(tempDir('between'), 'run');
  const killed = await gnetTrain(['--out', out, '--checkpoint-every', '1'], { GNET_TEST_KILL_BEFORE_RENAME: '^step-000000004\\.json$' }).exited;
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  assert.is(checkpointStep(out), 3);
  assert.ok(readdirSync(join(out, 'checkpoint')).some((n) => /^step-4-.*\.bin$/.test(n)), 'the .bin of step 4 was written');

  const resumed = await gnetTrain(['--resume', out]).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /gnet: resuming from step-000000003\.json .*: epoch 1\/2 continues after its step 3 \(global step 3\)/);
  assert.equal(readLog(join(out, 'log.jsonl')).map((r) => [r.epoch, r.step]), [[1, 7], [2, 14]]);
  assert.equal(leftovers(out), []);
  // The newest two, and beside them epoch 1's end (step 7) when that is the best by the watched metric.
  const kept = listCheckpoints(join(out, 'checkpoint')).map((e) => e.step);
  assert.equal(kept.slice(0, 2), [14, 13]);
  assert.ok(kept.length <= 3 && kept.slice(2).every((step) => step === 7), `kept: ${kept.join(' ')}`);
});

test.run();
