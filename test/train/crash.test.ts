/**
 * `gnet train` processes stopped for real: two processes on one run directory (the second is
 * refused and the first runs on undisturbed), SIGTERM (a checkpoint and exit code 143), and SIGKILL
 * at exact points of a checkpoint write (gnet-cli.ts's GNET_TEST_KILL_BEFORE_RENAME): before the
 * first checkpoint exists, and between a checkpoint's .bin and its manifest; a disk that fills up
 * for real (a small tmpfs, where this process may mount one).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { LOCK_FILE } from '../../runtime/train/run-lock.js';
import { checkpointStep, gnet, waitFor } from './child.js';
import { CLASSIFIER_SPEC, tempDir, writeBarsDataset } from './fixtures.js';

const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${writeBarsDataset(72)}`, 'epochs = 2'));
const gnetTrain = (args: string[], env: Record<string, string> = {}) => gnet(['train', spec, '--backend', 'cpu', ...args], env);
const epochsLogged = (out: string) => readLog(join(out, 'log.jsonl')).map((r) => r.epoch);
const leftovers = (out: string) => readdirSync(join(out, 'checkpoint')).filter((n) => n.includes('.tmp-'));

test('a second process on a run directory is refused with the PID and host of the first, which trains on undisturbed; SIGTERM saves and exits 143', async () => {
  const out = join(tempDir('two'), 'run');
  // Far more epochs than it can train while the second process starts: it is surely still running.
  const first = gnetTrain(['--out', out, '--epochs', '500']);
  await waitFor(() => epochsLogged(out).length >= 1, first, 'the first epoch');
  const second = await gnetTrain(['--resume', out]).exited;
  assert.is(second.code, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`gnet: error\\[GN0810\\]: .*run is being trained by process ${first.process.pid} on .*; two processes would overwrite`));

  first.process.kill('SIGTERM');
  const stopped = await first.exited;
  assert.is(stopped.code, 143, stopped.stderr);
  assert.match(stopped.stderr, /gnet: SIGTERM: stopping after this step and saving a checkpoint \(SIGTERM again to quit at once\)/);
  const [, step] = /step (\d+); checkpoint saved\. Continue with: gnet train .* --resume /.exec(stopped.stderr) ?? [];
  assert.is(checkpointStep(out), Number(step));
  const epochs = epochsLogged(out);
  assert.equal(epochs, epochs.map((_, i) => i + 1), `one process wrote the log: ${epochs.join(' ')}`);
  assert.not.ok(existsSync(join(out, LOCK_FILE)), 'the lock is released');

  const resumed = await gnetTrain(['--resume', out, '--epochs', String(epochs.length + 1)]).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  const { epoch, stepInEpoch } = listCheckpoints(join(out, 'checkpoint'))[1]!.manifest!.position;
  assert.match(resumed.stderr, new RegExp(`gnet: resuming from step-0*${step}\\.json .*: epoch ${epochs.length + 1}/${epochs.length + 1} (continues after its step ${stepInEpoch}|starts) \\(global step ${step}\\)`), `at epoch ${epoch}`);
  assert.equal(epochsLogged(out), [...epochs, epochs.length + 1]);
});

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

/** A 4 MiB tmpfs at a new folder, or undefined where this process may not mount one (not root, a container without the right). */
function smallDisk(): string | undefined {
  const dir = tempDir('tmpfs');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
  return mounted.status === 0 ? dir : undefined;
}

/** Writes zeros into `path` until the disk is full. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

test('a disk that fills up while training (a real tmpfs): GN0802, the newest checkpoint is intact, and --resume finishes once there is room', async () => {
  const disk = smallDisk();
  if (!disk) {
    console.log('  (skipped: cannot mount a tmpfs here; checkpoint.test.ts and resilience.test.ts cover a full disk through the FileSystem interface)');
    return;
  }
  try {
    const out = join(disk, 'run');
    const running = gnetTrain(['--out', out, '--epochs', '500', '--checkpoint-every', '1']);
    await waitFor(() => checkpointStep(out) >= 3, running, 'step 3');
    fillUp(join(disk, 'filler'));
    const failed = await running.exited;
    assert.is(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /gnet: error\[GN0802\]: the disk is full: could not .* \(ENOSPC\); free some space and run again — files written before are kept\n/);
    assert.not.match(failed.stderr, /\n\s+at /, 'no stack trace');
    const newest = listCheckpoints(join(out, 'checkpoint')).find((e) => e.manifest)!;
    assert.ok(newest.step >= 3);
    assert.equal(leftovers(out), [], 'no temporary file is left on the full disk');

    unlinkSync(join(disk, 'filler'));
    const epochs = Math.floor(newest.step / 7) + 1;
    const resumed = await gnetTrain(['--resume', out, '--epochs', String(epochs)]).exited;
    assert.is(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming from ${newest.file}`));
    assert.equal(epochsLogged(out), Array.from({ length: epochs }, (_, i) => i + 1));
  } finally {
    spawnSync('umount', [disk]);
  }
});

test.run();
