/**
 * Faults of a distributed torch run, each ending with one coded message, a non-zero exit and an
 * intact last checkpoint: a worker killed mid-run (GN0934; the two-worker checkpoint then resumes on
 * one worker and ends where an uninterrupted run does), NaN in the loss on one rank only (GN0803),
 * a --master-port already taken (GN0935, before anything is written), and Ctrl-C (exit 130 after a
 * checkpoint). Faults are injected with the trainer's GNET_TORCH_FAULT hook (kind:rank:step).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { torchTestsRun } from './helpers.js';
import { CELLS_SPEC, gnet, leftovers, maxWeightDifference, readCheckpoint, tempRun, waitFor } from './train-helpers.js';

const runs = torchTestsRun('dist-faults.test.ts');
const TRAIN = ['train', CELLS_SPEC, '--backend', 'torch'];

if (runs) {
  test('a killed worker stops the run (GN0934), the checkpoint is intact and resumes on one worker', async () => {
    const killed = tempRun('killed');
    const straight = tempRun('straight');
    const [fault, reference] = await Promise.all([
      gnet([...TRAIN, '--workers', '2', '--epochs', '2', '--checkpoint-every', '1', '--out', killed], { GNET_TORCH_FAULT: 'kill:1:6' }).exited,
      gnet([...TRAIN, '--workers', '1', '--epochs', '2', '--out', straight]).exited,
    ]);
    assert.is(fault.code, 1, fault.stderr);
    assert.match(fault.stderr, /error\[GN0934\]: torch worker rank 1 of 2 \(pid \d+\) was killed by SIGKILL/);
    assert.match(fault.stderr, /--resume/);
    assert.not.match(fault.stderr, /Traceback/);
    assert.is(readCheckpoint(killed).manifest.position.step, 6);
    assert.equal(leftovers(killed), []);
    assert.is(reference.code, 0, reference.stderr);

    const resumed = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--workers', '1', '--resume', killed]).exited;
    assert.is(resumed.code, 0, resumed.stderr);
    const end = readCheckpoint(killed);
    assert.is(end.manifest.position.step, 10);
    const difference = maxWeightDifference(end, readCheckpoint(straight));
    assert.ok(difference <= 1e-5, `resumed run differs from the straight one by ${difference}`);
    assert.ok(existsSync(join(killed, 'model', 'model.json')));
  });

  test('NaN on one rank stops every rank before the update (GN0803) and keeps the last checkpoint', async () => {
    const out = tempRun('nan');
    const { code, stderr } = await gnet([...TRAIN, '--workers', '2', '--checkpoint-every', '1', '--out', out], { GNET_TORCH_FAULT: 'nan:1:2' }).exited;
    assert.is(code, 1, stderr);
    assert.match(stderr, /error\[GN0803\]: training diverged at epoch 1, step 3 of 5 \(global step 3\): the loss became NaN on worker rank 1 at learning rate 0\.01; training stopped, nothing of this step was saved and the last finite checkpoint \(step 2\)/);
    assert.is(readCheckpoint(out).manifest.position.step, 2);
    assert.equal(leftovers(out), []);
  });

  test('a --master-port in use is refused (GN0935) before the run directory is made', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    try {
      const out = tempRun('port');
      const { code, stderr } = await gnet([...TRAIN, '--workers', '2', '--master-port', String(port), '--out', out]).exited;
      assert.is(code, 1, stderr);
      assert.match(stderr, new RegExp(`error\\[GN0935\\]: port ${port} on 127.0.0.1 is already in use; pick another with --master-port`));
      assert.not.ok(existsSync(out));
    } finally {
      server.close();
    }
  });

  test('Ctrl-C: the driver stops every worker after the same step, saves, and gnet exits 130', async () => {
    const out = tempRun('sigint');
    const run = gnet([...TRAIN, '--workers', '2', '--epochs', '3', '--out', out]);
    await waitFor(() => /step 2\/5/.test(run.stderr()), run, 'step 2');
    run.process.kill('SIGINT');
    const { code, stderr } = await run.exited;
    assert.is(code, 130, stderr);
    assert.match(stderr, /checkpoint saved\. Continue with: gnet train .* --resume/);
    const saved = readCheckpoint(out);
    assert.ok(saved.manifest.position.step >= 2 && saved.manifest.position.step < 15, `stopped at ${saved.manifest.position.step}`);
    assert.equal(leftovers(out), []);
  });
}

test.run();
