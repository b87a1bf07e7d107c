/**
 * A 2 × 2 grid (two networks × two seeds) submitted as one job array to a real one-node Slurm
 * cluster gives the very table the same grid gives run here. While it waits, `--report` shows the
 * throttled tasks queued and a local run of the same grid is refused (GN1029); a task cancelled with scancel in the middle of its training shows as stopped
 * (GN1026) with its checkpoint kept; the rerun with --resume submits only that cell, which resumes
 * from its checkpoint, and --wait prints a line per finished run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentResults } from '../../runtime/experiment/collect.js';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { type Finished, gnet, tempDir, writeBarsWithTest, writeSpecs } from '../experiment/fixtures.js';
import { type Cluster, slurmTestsRun, startCluster } from './cluster.js';
import { liveTasks, until } from './helpers.js';

const runs = slurmTestsRun('test/slurm/array.test.ts');
const maybe = runs ? test : test.skip;
const cluster: Cluster | undefined = runs ? await startCluster() : undefined;
process.env.GNET_SLURM_POLL = '1';

const spec = writeSpecs(`mnist:${writeBarsWithTest(36, 9)}`);
const root = tempDir('slurm-array');
const [localOut, slurmOut] = [join(root, 'local'), join(root, 'slurm')];
const grid = (out: string) => ['experiment', spec, '--train-size', 'all', '--seeds', '2', '--backend', 'cpu', '--epochs', '2', '--checkpoint-every', '1', '--out', out];
const cancelled = join(slurmOut, 'runs', 'Small', 'nall', 'seed1');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const step = (dir: string) => listCheckpoints(join(dir, 'checkpoint')).find((e) => e.manifest)?.step ?? -1;
let local: Promise<Finished> | undefined;
let jobId = '';

maybe('submitted as one array of 4 tasks, 2 at a time: gnet returns with the job id and how to follow it', async () => {
  local = gnet([...grid(localOut), '--jobs', '2']).exited;
  const submitted = await gnet([...grid(slurmOut), '--executor', 'slurm', '--jobs', '2']).exited;
  assert.is(submitted.code, 0, submitted.stderr);
  const said = /= 4 runs; 0 complete; 4 submitted to Slurm as job array (\d+) \(tasks 0-3, 2 at a time\)/.exec(submitted.stderr);
  assert.ok(said, submitted.stderr);
  jobId = said[1]!;
  assert.match(submitted.stderr, `gnet experiment --report ${slurmOut}`);
  assert.match(readFileSync(join(slurmOut, 'slurm', 'array-1.sh'), 'utf8'), '#SBATCH --array=0-3%2');
});

maybe('scancel of a task mid-training; meanwhile --report shows the waiting runs queued and a local run is refused (GN1029); then the cancelled run shows as stopped (GN1026), its checkpoint kept', async () => {
  await until(() => step(cancelled) >= 2 && !existsSync(join(cancelled, 'model')), 'task 0 had a checkpoint', 120_000);
  cluster!.client('scancel', `${jobId}_0`);

  const queued = await gnet(['experiment', '--report', slurmOut]).exited;
  assert.is(queued.code, 0, queued.stderr);
  assert.match(queued.stderr, /results of \d\/4 runs, (\d running, )?\d queued/);
  // Grid order: seed 1 (Small, Wide), then seed 2: task 3 waits for the two before it.
  assert.match(readFileSync(join(slurmOut, 'results.md'), 'utf8'), `[queued (Slurm task ${jobId}_3, JobArrayTaskLimit)](runs/Wide/nall/seed2/)`);
  // The same grid run here meanwhile would train the queued runs twice.
  const twice = await gnet(grid(slurmOut)).exited;
  assert.is(twice.code, 1, twice.stderr);
  assert.match(twice.stderr, /gnet: error\[GN1029\]: \d run\(s\) of .* are queued or running in Slurm/);

  await until(() => liveTasks(jobId).length === 0, 'the array ended', 300_000);
  assert.not.ok(existsSync(join(cancelled, 'test.json')));
  assert.not.ok(existsSync(join(cancelled, 'failed.json')), 'a cancelled run is not a failed one');
  assert.ok(step(cancelled) >= 2, 'the checkpoint is kept');
  assert.match(readFileSync(join(cancelled, 'cell.log'), 'utf8'), 'Slurm stopped the task (SIGTERM)');
  const report = await gnet(['experiment', '--report', slurmOut]).exited;
  assert.is(report.code, 0, report.stderr);
  assert.match(report.stderr, `Small nall seed1 (runs/Small/nall/seed1): GN1026 Slurm task ${jobId}_0 was cancelled; submit again (the same command) and the run resumes from its last checkpoint`);
  assert.match(report.stderr, 'results of 3/4 runs');
  assert.match(readFileSync(join(slurmOut, 'results.md'), 'utf8'), '[stopped by Slurm (GN1026 Slurm task');
});

maybe('the rerun with --resume submits only the stopped run, which resumes from its checkpoint; the tables equal those of the grid run here', async () => {
  const again = await gnet([...grid(slurmOut), '--executor', 'slurm', '--resume', '--wait']).exited;
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /4 runs; 3 complete; 1 submitted to Slurm as job array \d+ \(tasks 0-0, as many at a time as Slurm allows\)/);
  assert.match(again.stderr, /\[4\/4\] Small nall seed1: accuracy \d/);
  const log = readFileSync(join(cancelled, 'cell.log'), 'utf8');
  assert.match(log, `resuming the run in ${cancelled}`);
  assert.match(log, /gnet: resuming from step-0*\d+\.json/);
  assert.equal(readLog(join(cancelled, 'log.jsonl')).map((r) => r.epoch), [1, 2]);

  const here = await local!;
  assert.is(here.code, 0, here.stderr);
  const [a, b] = [localOut, slurmOut].map((dir) => readJson<ExperimentResults>(join(dir, 'results.json')));
  const numbers = (r: ExperimentResults) => r.networks.map((n) => [n.name, n.trainable, n.macs, n.cells.map((c) => [c.mean, c.std, c.n, c.best, c.runs.map((run) => [run.status, run.value, run.testImages, run.trainImages])])]);
  assert.equal(numbers(b!), numbers(a!));
  assert.is(a!.networks[0]!.cells[0]!.n, 2);
  const summary = (dir: string) => readFileSync(join(dir, 'results.md'), 'utf8').split('## Runs')[0];
  assert.is(summary(slurmOut), summary(localOut));
});

test.after(() => cluster?.stop());
test.run();
