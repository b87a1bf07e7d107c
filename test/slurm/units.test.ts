/**
 * The Slurm parts that need no cluster: the flags, the scripts gnet submits, and how it reads what
 * Slurm prints (squeue, sacct, sbatch's refusals, slurmstepd's line in a task's output). The texts
 * parsed here are what Debian's Slurm 22.05 printed on the one-node test cluster.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GnetError } from '../../runtime/errors.js';
import { arrayPaths, arrayScript } from '../../runtime/experiment/slurm-array.js';
import { batchScript, shellQuote } from '../../runtime/slurm/batch-script.js';
import { isUnreachable, lastError } from '../../runtime/slurm/client.js';
import { requestOptions, slurmRequest } from '../../runtime/slurm/options.js';
import { expandRanges, isLive, parseSacct, parseSqueue } from '../../runtime/slurm/queue.js';
import { refusalFix } from '../../runtime/slurm/submit.js';
import { stepdCause, taskEnd } from '../../runtime/slurm/task-end.js';
import { trainScript } from '../../runtime/slurm/train-job.js';
import { withoutPlacement } from '../../cli/commands/train-slurm.js';

const refused = (f: () => unknown): GnetError => {
  try {
    f();
  } catch (error) {
    if (error instanceof GnetError) return error;
    throw error;
  }
  throw new Error('not refused');
};

test('--executor and the Slurm flags: local is the default and refuses Slurm flags; each refusal is GN1028 with its fix', () => {
  assert.is(slurmRequest({}), undefined);
  assert.is(slurmRequest({ executor: 'local' }), undefined);
  const local = refused(() => slurmRequest({ partition: 'gpu', time: '10' }));
  assert.is(local.code, 'GN1028');
  assert.match(local.message, '--partition, --time are for Slurm jobs, but this command runs here; add --executor slurm');
  assert.is(refused(() => slurmRequest({ executor: 'pbs' })).code, 'GN1028');
  assert.match(refused(() => slurmRequest({ executor: 'slurm', time: '2 hours' })).message, '--time 2 hours is not a Slurm time limit');
  assert.match(refused(() => slurmRequest({ executor: 'slurm', sbatchArg: ['account=x'] })).message, 'is not one sbatch option');
  for (const time of ['30', '10:00', '2:00:00', '1-12', '1-12:00', '1-12:00:00', 'UNLIMITED']) assert.ok(slurmRequest({ executor: 'slurm', time }), time);
  const request = slurmRequest({ executor: 'slurm', partition: 'gpu', time: '1:00:00', gpusPerTask: 1, cpusPerTask: 8, sbatchArg: ['--account=p42', '--exclusive'] })!;
  assert.equal(requestOptions(request), ['--partition=gpu', '--time=1:00:00', '--cpus-per-task=8', '--gpus-per-task=1', '--account=p42', '--exclusive']);
});

test('the array script: one task per cell, the % throttle, each task\'s output file, and gnet started as this process was', () => {
  assert.is(shellQuote('/a/b-c_d.json'), '/a/b-c_d.json');
  assert.is(shellQuote("/my runs/it's"), `'/my runs/it'\\''s'`);
  const paths = arrayPaths('/exp/t1', 3);
  const text = arrayScript({ out: '/exp/t1', slurm: { partition: 'gpu', sbatchArgs: [] }, throttle: 2, command: { executable: '/usr/bin/node', args: ['/opt/gnet/cli/main.js'] } }, paths, 4);
  const lines = text.split('\n');
  assert.is(lines[0], '#!/bin/bash');
  assert.equal(lines.filter((l) => l.startsWith('#SBATCH')), ['#SBATCH --job-name=gnet-t1', '#SBATCH --array=0-3%2', '#SBATCH --output=/exp/t1/slurm/array-3/task-%a.out', '#SBATCH --partition=gpu']);
  assert.is(lines.at(-2), 'exec /usr/bin/node /opt/gnet/cli/main.js experiment --slurm-task /exp/t1/slurm/array-3.json');
  assert.ok(!arrayScript({ out: '/e', slurm: { sbatchArgs: [] }, command: { executable: 'node', args: [] } }, arrayPaths('/e', 1), 2).includes('%2'), 'no throttle without --jobs');
  assert.is(batchScript({ about: ['x'], options: ['--nodes=2'], body: ['true'] }), '#!/bin/bash\n#SBATCH --nodes=2\n# x\nset -u\ntrue\n');
});

test('the train script: srun on N nodes, one task per worker, stopping all when one fails; a requeued job resumes the run', () => {
  const job = { out: '/runs/big', nodes: 2, workersPerNode: 4, gnet: ['/usr/bin/node', '/g/cli.js'], trainArgs: ['train', 's.gnet', '--backend', 'torch', '--workers', '4', '--out', '/runs/big'], resumeArgs: ['train', 's.gnet', '--resume', '/runs/big', '--backend', 'torch', '--workers', '4'], resume: false, slurm: { time: '4:00:00', sbatchArgs: [] }, cwd: '/home/me' };
  const text = trainScript(job);
  for (const line of ['#SBATCH --nodes=2', '#SBATCH --ntasks-per-node=4', '#SBATCH --output=/runs/big/slurm/job-%j.out', '#SBATCH --time=4:00:00', 'cd /home/me', 'if [ -e /runs/big/config.json ]; then', '  srun --kill-on-bad-exit=1 /usr/bin/node /g/cli.js train s.gnet --resume /runs/big --backend torch --workers 4', '  srun --kill-on-bad-exit=1 /usr/bin/node /g/cli.js train s.gnet --backend torch --workers 4 --out /runs/big']) {
    assert.ok(text.split('\n').includes(line), `${line}\n${text}`);
  }
  assert.not.match(trainScript({ ...job, resume: true }), 'if [');
  assert.equal(withoutPlacement(['s.gnet', '--executor', 'slurm', '--nodes', '2', '--time=1:00', '--sbatch-arg', '--qos=x', '--epochs', '3', '--out', 'r']), ['s.gnet', '--epochs', '3', '--out', 'r']);
});

test('squeue and sacct as gnet reads them: one state per task, ranges of waiting tasks expanded', () => {
  const squeue = '8|1|CANCELLED|None\n8|2|TIMEOUT|TimeLimit\n8|3|PENDING|JobArrayTaskLimit\n3|N/A|COMPLETED|None\n';
  assert.equal(parseSqueue(squeue), [
    { id: '8_1', state: 'CANCELLED', reason: '' },
    { id: '8_2', state: 'TIMEOUT', reason: 'TimeLimit' },
    { id: '8_3', state: 'PENDING', reason: 'JobArrayTaskLimit' },
    { id: '3', state: 'COMPLETED', reason: '' },
  ]);
  assert.equal(parseSacct('12_0|COMPLETED\n12_1|CANCELLED by 0\n12_[2-3,5%2]|PENDING\n').map((s) => `${s.id} ${s.state}`), ['12_0 COMPLETED', '12_1 CANCELLED', '12_2 PENDING', '12_3 PENDING', '12_5 PENDING']);
  assert.equal(expandRanges('0-2,7'), [0, 1, 2, 7]);
  assert.ok(isLive('PENDING') && isLive('RUNNING') && isLive('COMPLETING'));
  assert.not.ok(isLive('TIMEOUT') || isLive('CANCELLED') || isLive('COMPLETED'));
});

test("why a task ended: Slurm's state when it still knows it, else slurmstepd's line in the task's output", () => {
  assert.is(stepdCause('x\nslurmstepd-vm: error: *** JOB 9 ON vm CANCELLED AT 2026-12-06T07:49:17 DUE TO TIME LIMIT ***\nTerminated\n'), 'TIMEOUT');
  assert.is(stepdCause('slurmstepd-vm: error: *** STEP 1.0 ON vm CANCELLED AT 2026-12-06T08:17:09 DUE TO TIME LIMIT ***'), 'TIMEOUT');
  assert.is(stepdCause('slurmstepd: error: *** JOB 10 ON vm CANCELLED AT 2026-12-06T07:47:58 ***'), 'CANCELLED');
  assert.is(stepdCause('slurmstepd: error: *** JOB 10 ON n1 CANCELLED AT 2026-12-06T07:47:58 DUE TO PREEMPTION ***'), 'PREEMPTED');
  assert.is(stepdCause('slurmstepd: error: *** JOB 10 ON n1 CANCELLED AT 2026-12-06T07:47:58 DUE TO NODE FAILURE ***'), 'NODE_FAIL');
  assert.is(stepdCause('gnet: task 0 on vm: Small nall seed1\n'), undefined);
  const end = (state?: string, output?: string) => taskEnd({ id: '12_3', state, outputPath: '/e/slurm/array-1/task-3.out', output });
  assert.equal([end('TIMEOUT').code, end('PREEMPTED').code, end('NODE_FAIL').code, end('CANCELLED').code, end('OUT_OF_MEMORY').code], ['GN1023', 'GN1024', 'GN1025', 'GN1026', 'GN1026']);
  assert.is(end('TIMEOUT').message, 'Slurm task 12_3 reached its time limit; submit again (the same command) and the run resumes from its last checkpoint, with a longer --time');
  assert.is(end(undefined, '*** JOB 9 ON vm CANCELLED AT 2026-12-06T07:49:17 DUE TO TIME LIMIT ***').code, 'GN1023');
  assert.match(end(undefined, undefined).message, 'ended before it started');
  const crashed = end('FAILED', 'node: not found\n');
  assert.is(crashed.code, 'GN1027');
  assert.match(crashed.message, 'see /e/slurm/array-1/task-3.out');
});

test("sbatch's refusals and an unreachable controller, worded from what Slurm printed", () => {
  const partition = 'sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified';
  assert.is(lastError(partition), 'Batch job submission failed: Invalid partition name specified');
  assert.match(refusalFix(lastError(partition)), 'sinfo -s');
  assert.match(refusalFix('Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)'), "within the partition's limit");
  assert.match(refusalFix('Invalid generic resource (gres) specification'), '--gpus-per-task');
  assert.ok(isUnreachable('sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)'));
  assert.ok(isUnreachable('squeue: error: Munge encode failed: Failed to access "/run/munge/munge.socket.2": No such file or directory (Did you start munged?)'));
  assert.not.ok(isUnreachable(partition));
});

test.run();
