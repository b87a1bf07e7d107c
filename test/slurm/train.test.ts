/**
 * `gnet train --executor slurm` on a real one-node cluster: it writes RUNDIR/slurm/train.sh (the
 * same command under srun, one task per worker, less the flags that say where to run), submits it and
 * returns; each task's gnet train reads its rank from Slurm, task 0 drives and writes the run, and the
 * two workers end with the weights of the same command run here. Flags that cannot work are refused
 * before anything is submitted, and a run that a submitted job still holds is not trained again
 * beside it (GN1040), here or by a second job, until the job is gone.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { torchMissing } from '../torch/helpers.js';
import { CELLS_SPEC, gnet, maxWeightDifference, readCheckpoint, tempRun } from '../torch/train-helpers.js';
import { type Cluster, slurmTestsRun, startCluster } from './cluster.js';
import { liveTasks, until } from './helpers.js';

const runs = slurmTestsRun('test/slurm/train.test.ts');
const noTorch = torchMissing();
if (noTorch) console.log(`  skipped the torch run of test/slurm/train.test.ts: ${noTorch}`);
const cluster: Cluster | undefined = runs ? await startCluster() : undefined;

(runs && !noTorch ? test : test.skip)('submitted with its two workers, srun runs the same gnet train as two tasks, which end with the weights of the run here', async () => {
  const [here, there] = [tempRun('slurm-here'), tempRun('slurm-there')];
  const local = gnet(['train', CELLS_SPEC, '--backend', 'torch', '--workers', '2', '--out', here]).exited;
  const submitted = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--workers', '2', '--executor', 'slurm', '--cpus-per-task', '1', '--out', there]).exited;
  assert.is(submitted.code, 0, submitted.stderr);
  const id = /submitted Slurm job (\d+): gnet train on 1 node\(s\) × 2 worker\(s\), one srun task per worker/.exec(submitted.stderr)?.[1];
  assert.ok(id, submitted.stderr);
  const script = readFileSync(join(there, 'slurm', 'train.sh'), 'utf8').split('\n');
  for (const line of ['#SBATCH --nodes=1', '#SBATCH --ntasks-per-node=2', '#SBATCH --cpus-per-task=1', `#SBATCH --output=${join(there, 'slurm', 'job-%j.out')}`]) assert.ok(script.includes(line), line);
  const run = script.find((l) => l.trimStart().startsWith('srun') && !l.includes('--resume'))!;
  assert.ok(run.endsWith(`train ${CELLS_SPEC} --backend torch --workers 2 --out ${there}`), run);

  await until(() => liveTasks(id!).length === 0, 'the job ended', 600_000);
  const output = readFileSync(join(there, 'slurm', `job-${id}.out`), 'utf8');
  assert.match(output, 'gnet: training TinyCells');
  assert.match(output, /gnet: worker rank 1 of 2 \(node 0 of 1\) follows the driver of rank 0/, output);
  assert.equal(readdirSync(join(there, 'torch')).filter((f) => f.endsWith('.log')), ['worker-0.log'], 'task 1 wrote nothing into RUNDIR');
  assert.ok(existsSync(join(there, 'model', 'model.json')), output);
  const ran = await local;
  assert.is(ran.code, 0, ran.stderr);
  const difference = maxWeightDifference(readCheckpoint(here), readCheckpoint(there));
  assert.ok(difference <= 1e-6, `weights differ by ${difference}`);
});

(runs ? test : test.skip)('refused before submitting: no run directory (GN1028), --nodes 2 off the torch backend (GN0937), a node rank Slurm gives (GN1028)', async () => {
  const cases = [
    [['--backend', 'cpu', '--executor', 'slurm'], 'GN1028', '--executor slurm needs the run directory named: pass --out RUNDIR'],
    [['--backend', 'cpu', '--executor', 'slurm', '--nodes', '2', '--out', tempRun('two')], 'GN0937', '--nodes 2 trains one run over several machines, which only the torch backend does'],
    [['--backend', 'torch', '--executor', 'slurm', '--node-rank', '1', '--out', tempRun('rank')], 'GN1028', '--node-rank: under --executor slurm each node learns its rank'],
  ] as const;
  for (const [flags, code, said] of cases) {
    const result = await gnet(['train', CELLS_SPEC, ...flags]).exited;
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, `gnet: error[${code}]: ${said}`);
  }
});

(runs ? test : test.skip)('a run a queued job holds is refused here and to a second job (GN1040); once it is cancelled, it trains here', async () => {
  const there = tempRun('slurm-held');
  const cpu = ['train', CELLS_SPEC, '--backend', 'cpu'];
  // Held in the queue for an hour: the job cannot start and write the run while the test looks.
  const submitted = await gnet([...cpu, '--executor', 'slurm', '--sbatch-arg=--begin=now+1hour', '--out', there]).exited;
  assert.is(submitted.code, 0, submitted.stderr);
  const id = /submitted Slurm job (\d+)/.exec(submitted.stderr)![1]!;
  for (const flags of [['--out', there], ['--executor', 'slurm', '--out', there]]) {
    const again = await gnet([...cpu, ...flags]).exited;
    assert.is(again.code, 1, again.stderr);
    assert.match(again.stderr, `is still held by Slurm job ${id} PENDING (BeginTime), which trains it; wait for it to end (squeue -j ${id}), or cancel it (scancel ${id}), then run this again`);
    assert.match(again.stderr, 'gnet: error[GN1040]: ');
  }
  assert.is(liveTasks(id).length, 1, 'only the first job was submitted');
  cluster!.client('scancel', id);
  await until(() => liveTasks(id).length === 0, 'the job cancelled', 60_000);
  const here = await gnet([...cpu, '--out', there]).exited;
  assert.is(here.code, 0, here.stderr);
  assert.ok(existsSync(join(there, 'model', 'model.json')));
});

test.after(() => cluster?.stop());
test.run();
