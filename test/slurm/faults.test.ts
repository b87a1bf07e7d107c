/**
 * What goes wrong under Slurm, on a real one-node cluster: each fault is one line with its code and
 * what to do, and loses nothing. Refused before anything is submitted: no Slurm on PATH (GN1020),
 * sbatch refusing a partition or a time limit (GN1021), an unreachable controller (GN1022), Slurm
 * flags without --executor slurm (GN1028). Then two tasks killed by the scheduler mid-training, one
 * pre-empted by a job of a higher partition (GN1024) and one whose node went down (GN1025), and the
 * rerun resuming both from their checkpoints.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArrays } from '../../runtime/experiment/slurm-array.js';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { gnet, tempDir, writeBarsWithTest, writeSpecs } from '../experiment/fixtures.js';
import { type Cluster, slurmTestsRun, startCluster } from './cluster.js';
import { liveTasks, until } from './helpers.js';

const runs = slurmTestsRun('test/slurm/faults.test.ts');
const maybe = runs ? test : test.skip;
const cluster: Cluster | undefined = runs ? await startCluster() : undefined;
process.env.GNET_SLURM_POLL = '1';

const spec = writeSpecs(`mnist:${writeBarsWithTest(36, 9)}`);
const root = tempDir('slurm-faults');
const grid = (out: string, epochs = 1) => ['experiment', spec, '--train-size', 'all', '--seeds', '1', '--backend', 'cpu', '--epochs', String(epochs), '--out', out];
const step = (dir: string) => listCheckpoints(join(dir, 'checkpoint')).find((e) => e.manifest)?.step ?? -1;

/** gnet with some variables changed for it alone. */
function gnetWith(env: Record<string, string>, args: string[]) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return gnet(args).exited;
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

/** One line, the code, no stack trace; the plan is written and no job was submitted. */
function refusedBefore(out: string, result: { code: number | null; stderr: string }, code: string): string {
  assert.is(result.code, 1, result.stderr);
  const line = result.stderr.split('\n').find((l) => l.startsWith(`gnet: error[${code}]: `));
  assert.ok(line, result.stderr);
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(existsSync(join(out, 'experiment.json')), 'the plan is kept');
  assert.equal(readArrays(out).filter((a) => a.jobId !== null), [], 'nothing was submitted');
  return line!;
}

// The refusals, started together: each compiles the specs and opens the data before it would submit.
const dir = (name: string) => join(root, name);
const down = join(root, 'down.conf');
if (cluster) writeFileSync(down, readFileSync(cluster.conf, 'utf8').replace(/SlurmctldPort=\d+/, 'SlurmctldPort=1'));
const refusals = runs
  ? {
      noSlurm: gnetWith({ PATH: '/nonexistent' }, [...grid(dir('no-slurm')), '--executor', 'slurm']),
      partition: gnet([...grid(dir('partition')), '--executor', 'slurm', '--partition', 'nope']).exited,
      time: gnet([...grid(dir('time')), '--executor', 'slurm', '--time', '2:00:00']).exited,
      unreachable: gnetWith({ SLURM_CONF: down }, [...grid(dir('unreachable')), '--executor', 'slurm']),
    }
  : undefined;

maybe('no Slurm on PATH: GN1020, saying where to run gnet instead', async () => {
  const line = refusedBefore(dir('no-slurm'), await refusals!.noSlurm, 'GN1020');
  assert.match(line, 'sbatch is not on PATH');
  assert.match(line, 'or use --executor local');
});

maybe("sbatch refuses an unknown partition, or a time limit over the partition's: GN1021 with sbatch's reason and the fix", async () => {
  const partition = refusedBefore(dir('partition'), await refusals!.partition, 'GN1021');
  assert.match(partition, 'sbatch refused the job: Batch job submission failed: Invalid partition name specified; choose a partition that exists');
  assert.match(partition, 'sinfo -s');
  const time = refusedBefore(dir('time'), await refusals!.time, 'GN1021');
  assert.match(time, /time limit is invalid.*give a --time within the partition's limit/);
});

maybe('an unreachable controller: GN1022, check it with scontrol ping and run the same command again', async () => {
  const line = refusedBefore(dir('unreachable'), await refusals!.unreachable, 'GN1022');
  assert.match(line, 'the Slurm controller did not answer sbatch (Batch job submission failed: Unable to contact slurm controller (connect failure)); check that it is up with `scontrol ping`');
});

maybe('Slurm flags without --executor slurm: GN1028 before anything is read', async () => {
  const out = join(root, 'flags');
  for (const [flags, said] of [[['--partition', 'gpu'], '--partition is for Slurm jobs'], [['--wait'], '--wait follows a Slurm job array']] as const) {
    const result = await gnet([...grid(out), ...flags]).exited;
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, `gnet: error[GN1028]: ${said}`);
  }
});

maybe('tasks killed by the scheduler mid-training, one pre-empted (GN1024) and one whose node went down (GN1025), resume from their checkpoints when submitted again', async () => {
  const out = join(root, 'killed');
  const runs = ['Small', 'Wide'].map((n) => join(out, 'runs', n, 'nall', 'seed1'));
  // --no-requeue: else Slurm requeues the task of a failed node (its default), and it resumes by itself, later.
  const submitted = await gnet([...grid(out, 20), '--executor', 'slurm', '--sbatch-arg=--no-requeue']).exited;
  assert.is(submitted.code, 0, submitted.stderr);
  const jobId = /job array (\d+)/.exec(submitted.stderr)![1]!;
  await until(() => runs.every((dir) => step(dir) >= 5), 'both runs had a checkpoint', 240_000);
  // A one-CPU job in the urgent partition takes the CPU of one task; then the node goes down under the other.
  const urgent = cluster!.client('sbatch', '--parsable', '--no-requeue', '--partition=urgent', '--ntasks=1', `--output=${join(root, 'urgent.out')}`, '--wrap=sleep 1').trim();
  await until(() => liveTasks(jobId).length === 1 && liveTasks(urgent).length === 0, 'one task pre-empted, and the urgent job done', 60_000);
  cluster!.client('scontrol', 'update', `nodename=${cluster!.node}`, 'state=down', 'reason=gnet-test');
  await until(() => liveTasks(jobId).length === 0, 'the array ended', 60_000);
  // Back in service (ReturnToService=2 may bring it back first, and then resume is refused).
  spawnSync('scontrol', ['update', `nodename=${cluster!.node}`, 'state=resume']);
  await until(() => !/down/.test(cluster!.client('sinfo', '-h', '-o', '%t')), 'the node back in service', 60_000);

  const report = await gnet(['experiment', '--report', out]).exited;
  assert.is(report.code, 0, report.stderr);
  assert.match(report.stderr, /GN1024 Slurm task \d+_\d was pre-empted by a job of higher priority; submit again \(the same command\) and the run resumes from its last checkpoint/);
  assert.match(report.stderr, /GN1025 the node of Slurm task \d+_\d failed \(NODE_FAIL\); submit again/);
  for (const dir of runs) assert.not.ok(existsSync(join(dir, 'test.json')) || existsSync(join(dir, 'failed.json')), dir);

  const again = await gnet([...grid(out, 20), '--executor', 'slurm', '--wait']).exited;
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, '2 runs; 0 complete; 2 submitted');
  assert.match(again.stderr, '[2/2] ');
  for (const dir of runs) {
    assert.match(readFileSync(join(dir, 'cell.log'), 'utf8'), /gnet: resuming from step-0*\d+\.json/, dir);
    assert.equal(readLog(join(dir, 'log.jsonl')).map((r) => r.epoch), Array.from({ length: 20 }, (_, k) => k + 1));
    assert.ok(existsSync(join(dir, 'test.json')), dir);
  }
});

test.after(() => cluster?.stop());
test.run();
