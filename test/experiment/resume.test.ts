/**
 * An interrupted experiment continues where it stopped: after SIGKILL in the middle of the grid
 * (the experiment and its running `gnet train` both killed, as in a crash) the rerun keeps the
 * complete runs untouched and resumes the half-done one from its checkpoint; after SIGTERM the
 * running cell saves a checkpoint, the results so far are written and the exit code is 143.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints } from '../../runtime/train/checkpoint.js';
import { readLog } from '../../runtime/train/log.js';
import { gnet, tempDir, writeBarsWithTest, writeSpecs } from './fixtures.js';

const spec = writeSpecs(`mnist:${writeBarsWithTest(36, 9)}`);
const args = (out: string, seeds: number, networks = 'Small,Wide') => ['experiment', spec, '--networks', networks, '--train-size', 'all', '--seeds', String(seeds), '--epochs', '3', '--checkpoint-every', '1', '--backend', 'cpu', '--out', out];
const cellPath = (out: string, network: string, seed: number) => join(out, 'runs', network, 'nall', `seed${seed}`);
const step = (dir: string) => listCheckpoints(join(dir, 'checkpoint')).find((e) => e.manifest)?.step ?? -1;
const childrenOf = (pid: number): number[] => {
  const path = `/proc/${pid}/task/${pid}/children`;
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
};

async function until(condition: () => boolean, exited: Promise<unknown>, what: string): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  while (!condition()) {
    if (done) throw new Error(`the experiment ended before ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

test('SIGKILL mid-grid: the rerun keeps the complete runs and resumes the half-done one from its checkpoint', async () => {
  const out = join(tempDir('exp-kill'), 'exp');
  const first = gnet(args(out, 3, 'Small'));
  // Grid order: seed1, seed2, seed3. Kill while the second trains.
  const halfDone = cellPath(out, 'Small', 2);
  await until(() => existsSync(join(cellPath(out, 'Small', 1), 'test.json')) && step(halfDone) >= 2, first.exited, 'the second run had a checkpoint');
  const trainers = childrenOf(first.process.pid!);
  first.process.kill('SIGKILL');
  for (const pid of trainers) process.kill(pid, 'SIGKILL');
  assert.is((await first.exited).signal, 'SIGKILL');
  const killedAt = step(halfDone);
  assert.ok(killedAt >= 2 && killedAt < 15, `killed at step ${killedAt}`);
  assert.not.ok(existsSync(join(halfDone, 'test.json')));
  const complete = [cellPath(out, 'Small', 1)];
  const stamps = complete.map((dir) => [statSync(join(dir, 'test.json')).mtimeMs, statSync(join(dir, 'log.jsonl')).mtimeMs]);

  const second = await gnet(args(out, 3, 'Small')).exited;
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stderr, '3 runs; 1 complete, 2 to run');
  assert.equal(complete.map((dir) => [statSync(join(dir, 'test.json')).mtimeMs, statSync(join(dir, 'log.jsonl')).mtimeMs]), stamps, 'complete runs are not run again');
  const log = readFileSync(join(halfDone, 'cell.log'), 'utf8');
  assert.match(log, `resuming the run in ${halfDone}`);
  assert.match(log, /gnet: resuming from step-0*\d+\.json/);
  assert.equal(readLog(join(halfDone, 'log.jsonl')).map((r) => r.epoch), [1, 2, 3]);
  for (const seed of [1, 2, 3]) assert.ok(existsSync(join(cellPath(out, 'Small', seed), 'test.json')), `seed${seed}`);
  assert.not.ok(readFileSync(join(out, 'results.md'), 'utf8').includes('not run yet'));
});

test('SIGTERM: the running cell checkpoints and stops, the results so far are written, exit 143; the rerun finishes', async () => {
  const out = join(tempDir('exp-term'), 'exp');
  const first = gnet(args(out, 1));
  const cell = cellPath(out, 'Small', 1);
  await until(() => step(cell) >= 2, first.exited, 'the first run had a checkpoint');
  first.process.kill('SIGTERM');
  const stopped = await first.exited;
  assert.is(stopped.code, 143, stopped.stderr);
  assert.match(stopped.stderr, 'SIGTERM: stopping the running cells');
  assert.match(readFileSync(join(cell, 'cell.log'), 'utf8'), 'gnet: SIGTERM: stopping after this step and saving a checkpoint');
  assert.not.ok(existsSync(join(cell, 'failed.json')), 'an interrupted run is not a failed one');
  const md = readFileSync(join(out, 'results.md'), 'utf8');
  assert.match(md, '[interrupted (resumes on the next run)](runs/Small/nall/seed1/)');
  assert.match(md, '[not run yet](runs/Wide/nall/seed1/)');

  const second = await gnet(args(out, 1)).exited;
  assert.is(second.code, 0, second.stderr);
  assert.match(readFileSync(join(cell, 'cell.log'), 'utf8'), /gnet: resuming from step-/);
  assert.equal(readLog(join(cell, 'log.jsonl')).map((r) => r.epoch), [1, 2, 3]);
});

test.run();
