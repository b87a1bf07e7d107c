/**
 * A job that travels: `gnet job` prepares it here, it is copied to another folder (as to another
 * machine), and two `python3 train.py` processes started with RANK / WORLD_SIZE / LOCAL_RANK /
 * MASTER_ADDR / MASTER_PORT (as torchrun or a shell loop would) train it without gnet. The run they
 * write ends with the weights, epochs, early stop and checkpoints of `gnet train --workers 2` on the
 * same spec and flags, and `gnet finish`, `eval` and `train --resume` read it as any run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../backends/torch/launch.js';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { PYTHON, torchTestsRun } from './helpers.js';
import { CELLS_SPEC, gnet, maxWeightDifference, readCheckpoint, tempRun } from './train-helpers.js';

const runs = torchTestsRun('travel.test.ts');
const FLAGS = ['--epochs', '3', '--early-stop', '1', '--min-delta', '10', '--keep-checkpoints', '1'];

/** `python3 train.py ARGS` as rank `rank` of `world`, in `dir`; resolves with its exit and stderr. */
function trainPy(dir: string, rank: number, world: number, port: number, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env, RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: String(world), MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) };
  const child = spawn(PYTHON, ['train.py', ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

if (runs) {
  test('a job copied elsewhere trains with two processes launched by environment variables as gnet train --workers 2 does', async () => {
    const prepared = tempRun('job');
    const made = await gnet(['job', CELLS_SPEC, ...FLAGS, '--device', 'cuda', '--out', prepared]).exited;
    assert.is(made.code, 0, made.stderr);
    assert.ok(existsSync(join(prepared, 'train.py')) && existsSync(join(prepared, 'README.md')));
    const job = JSON.parse(readFileSync(join(prepared, 'job.json'), 'utf8'));
    assert.is(job.device, 'cuda', 'a CUDA job is prepared on a machine without CUDA');
    assert.ok(!JSON.stringify(job).includes(prepared), 'job.json names no absolute path of this folder');

    const elsewhere = tempRun('elsewhere');
    cpSync(prepared, elsewhere, { recursive: true });
    const port = await freePort('127.0.0.1');
    const out = join(elsewhere, 'run');
    const [zero, one] = await Promise.all([0, 1].map((rank) => trainPy(elsewhere, rank, 2, port, ['--device', 'cpu', '--threads', '1'])));
    assert.is(zero!.code, 0, zero!.stderr);
    assert.is(one!.code, 0, one!.stderr);
    assert.match(zero!.stderr, /completed \(early stop at epoch 2\)/);
    assert.match(zero!.stderr, /gnet finish /);

    const here = tempRun('here');
    const trained = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--workers', '2', '--threads', '1', ...FLAGS, '--out', here]).exited;
    assert.is(trained.code, 0, trained.stderr);
    const [away, home] = [readLog(join(out, 'log.jsonl')), readLog(join(here, 'log.jsonl'))];
    assert.equal(away.map((r) => [r.epoch, r.step, r.earlyStop]), home.map((r) => [r.epoch, r.step, r.earlyStop]));
    assert.equal(away.map((r) => Object.keys(r).sort().join()), home.map((r) => Object.keys(r).sort().join()));
    away.forEach((r, i) => assert.ok(Math.abs(r.loss - home[i]!.loss) < 1e-5, `epoch ${r.epoch} loss ${r.loss} vs ${home[i]!.loss}`));
    assert.equal(listCheckpoints(join(out, 'checkpoint')).map((e) => e.step), listCheckpoints(join(here, 'checkpoint')).map((e) => e.step), 'the same checkpoints kept');
    const difference = maxWeightDifference(readCheckpoint(out), readCheckpoint(here));
    assert.ok(difference <= 1e-5, `weights differ by ${difference}`);
    assert.ok(listCheckpoints(join(out, 'checkpoint')).every((e) => existsSync(join(out, 'torch', `step-${e.step}.pt`))), 'a state_dict beside every checkpoint kept');

    const finished = await gnet(['finish', out, '--backend', 'cpu']).exited;
    assert.is(finished.code, 0, finished.stderr);
    assert.ok(existsSync(join(out, 'model', 'model.json')) && existsSync(join(out, 'report.html')));
    const evaluated = await gnet(['eval', out, '--backend', 'cpu', '--split', 'validation']).exited;
    assert.is(evaluated.code, 0, evaluated.stderr);
    const resumed = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--resume', out, '--epochs', '3']).exited;
    assert.is(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resuming from step-\d+\.json/);
  });

  test('train.py refuses a folder that is not a job, and a run directory that holds a run without --resume', async () => {
    const notJob = tempRun('notjob');
    const made = await gnet(['job', CELLS_SPEC, '--out', notJob]).exited;
    assert.is(made.code, 0, made.stderr);
    const first = await trainPy(notJob, 0, 1, await freePort('127.0.0.1'), ['--threads', '1']);
    assert.is(first.code, 0, first.stderr);
    const again = await trainPy(notJob, 0, 1, await freePort('127.0.0.1'), ['--threads', '1']);
    assert.is(again.code, 1);
    assert.match(again.stderr, /gnet: error\[GN0807\]: .* already holds a run; continue it with --resume/);
    assert.not.match(again.stderr, /Traceback/);
    const taken = await gnet(['job', CELLS_SPEC, '--out', notJob]).exited;
    assert.is(taken.code, 1);
    assert.match(taken.stderr, /gnet: error\[GN0939\]: .* is not empty \(it holds a job\)/);
  });
}

test.run();
