/**
 * `srun -n 2 gnet train --backend torch` cancelled on a real one-node cluster (scancel; a time limit
 * or a pre-emption end a step the same way): Slurm sends SIGTERM to every process of the step, the
 * torch workers too. The workers leave stopping to gnet, so task 0 finishes its step, saves a
 * checkpoint and closes them, and both tasks end with 143; no worker is lost, no error is printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { torchMissing } from '../torch/helpers.js';
import { readCheckpoint, tempRun } from '../torch/train-helpers.js';
import { type Cluster, slurmTestsRun, startCluster } from './cluster.js';
import { srunTrain, until } from './helpers.js';

const runs = slurmTestsRun('test/slurm/srun-stop.test.ts');
const noTorch = torchMissing();
if (noTorch) console.log(`  skipped test/slurm/srun-stop.test.ts: ${noTorch}`);
const cluster: Cluster | undefined = runs && !noTorch ? await startCluster() : undefined;

(cluster ? test : test.skip)('scancel: task 0 saves a checkpoint after its step and stops the workers; both tasks end with 143', async () => {
  const there = tempRun('srun-cancel');
  const running = srunTrain(['--epochs', '500', '--out', there], mkdtempSync(join(tmpdir(), 'gnet-srun-tmp-')));
  const steps = () => listCheckpoints(join(there, 'checkpoint')).filter((e) => e.manifest).map((e) => e.step);
  await until(() => existsSync(join(there, 'checkpoint')) && steps().length >= 2, 'two checkpoints', 120_000);
  cluster!.client('scancel', '--name=gnet-srun-test');
  const stopped = await running;
  assert.is(stopped.code, 143, stopped.stderr);
  // Both tasks stopped by themselves: no other exit code, no task killed by srun.
  assert.equal([...stopped.stderr.matchAll(/Exited with exit code (\d+)/g)].map((m) => m[1]).filter((c) => c !== '143'), [], stopped.stderr);
  assert.match(stopped.stderr, /gnet: stopped at epoch \d+\/500, step (\d+); checkpoint saved\. Continue with: gnet train .* --resume /);
  assert.match(stopped.stderr, "gnet: stopped: these workers followed the run until rank 0's gnet stopped it, saving a checkpoint");
  assert.not.match(stopped.stderr, 'GN0934');
  const step = Number(/stopped at epoch \d+\/500, step (\d+)/.exec(stopped.stderr)?.[1]);
  assert.is(Math.max(...steps()), step, 'the newest checkpoint is the step it stopped at');
  assert.is(readCheckpoint(there, step).manifest.position.step, step);
});

test.after(() => cluster?.stop());
test.run();
