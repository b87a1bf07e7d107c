/**
 * `gnet train --backend torch` started by `srun -n 2` on a real one-node cluster: one task per worker,
 * task 0 (global rank 0) drives the run and alone writes RUNDIR, task 1 is the worker of rank 1 and
 * follows it from a job folder of its own in TMPDIR, removed when it is done. The two tasks end each
 * epoch with the weights of `gnet train --workers 2` run directly, and `--resume` under srun continues
 * the run from its checkpoint to the weights of the straight two-epoch run. The travelling job of
 * `gnet job`, under `srun -n 2 python3 train.py`, ends with those weights too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, torchMissing } from '../torch/helpers.js';
import { CELLS_SPEC, gnet, maxWeightDifference, readCheckpoint, tempRun } from '../torch/train-helpers.js';
import { type Cluster, slurmTestsRun, startCluster } from './cluster.js';
import { THREADS_1, srun, srunTrain } from './helpers.js';

const runs = slurmTestsRun('test/slurm/srun.test.ts');
const noTorch = torchMissing();
if (noTorch) console.log(`  skipped test/slurm/srun.test.ts: ${noTorch}`);
const cluster: Cluster | undefined = runs && !noTorch ? await startCluster() : undefined;

// The straight two-epoch run both tests compare with, started at once beside the first.
const here = tempRun('srun-here');
const straight = cluster ? gnet(['train', CELLS_SPEC, ...THREADS_1, '--workers', '2', '--epochs', '2', '--out', here]).exited : undefined;

(cluster ? test : test.skip)('srun -n 2: task 0 trains and writes the run, task 1 is worker 1; the weights of --workers 2, epoch by epoch, across --resume', async () => {
  const there = tempRun('srun-there');
  const tmp = mkdtempSync(join(tmpdir(), 'gnet-srun-tmp-'));

  const first = await srunTrain(['--out', there], tmp);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stderr, /gnet: worker rank 1 of 2 \(node 0 of 1\) follows the driver of rank 0 on \S+, which writes the run/);
  assert.match(first.stderr, `gnet: done: these workers followed the run to its end; rank 0's gnet wrote it to`);
  assert.match(first.stderr, 'gnet: training on torch');
  assert.match(first.stderr, '2 workers × 1 thread');
  // Only rank 0's process wrote RUNDIR: its one worker log; task 1's job folder in TMPDIR is gone.
  assert.equal(readdirSync(join(there, 'torch')).filter((f) => f.endsWith('.log')), ['worker-0.log']);
  assert.equal(readdirSync(tmp).filter((f) => f.startsWith('gnet-')), []);

  const direct = await straight!;
  assert.is(direct.code, 0, direct.stderr);
  const afterOne = maxWeightDifference(readCheckpoint(here, 5), readCheckpoint(there, 5));
  assert.ok(afterOne <= 1e-6, `epoch 1: srun's weights differ from --workers 2's by ${afterOne}`);

  const resumed = await srunTrain(['--resume', there, '--epochs', '2'], tmp);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from step-000000005\.json/);
  assert.ok(existsSync(join(there, 'checkpoint', 'step-000000010.json')), resumed.stderr);
  const afterTwo = maxWeightDifference(readCheckpoint(here, 10), readCheckpoint(there, 10));
  assert.ok(afterTwo <= 1e-5, `epoch 2: the resumed srun run differs from the straight --workers 2 run by ${afterTwo}`);
  assert.equal(readdirSync(tmp).filter((f) => f.startsWith('gnet-')), []);
});

(cluster ? test : test.skip)('srun -n 2 python3 train.py: the job of gnet job trains, unchanged, to the weights of --workers 2', async () => {
  const job = tempRun('srun-job');
  const made = await gnet(['job', CELLS_SPEC, '--out', job]).exited;
  assert.is(made.code, 0, made.stderr);
  const trained = await srun(['-n', '2', '--kill-on-bad-exit=1', PYTHON, 'train.py', '--threads', '1', '--epochs', '2'], { cwd: job });
  assert.is(trained.code, 0, trained.stderr);
  assert.match(trained.stderr, `gnet: done: ${join(job, 'run')}`);
  assert.is((await straight!).code, 0);
  const difference = maxWeightDifference(readCheckpoint(here, 10), readCheckpoint(join(job, 'run'), 10));
  assert.ok(difference <= 1e-5, `train.py under srun differs from --workers 2 by ${difference}`);
});

test.after(() => cluster?.stop());
test.run();
