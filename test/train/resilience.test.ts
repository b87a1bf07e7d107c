/**
 * `gnet train` runs that must not strand their run directory (in process, cpu): a full disk before
 * and after the first checkpoint, a run with no checkpoint restarted by --resume, a damaged newest
 * checkpoint passed over on resume, locks (a stale one taken over, one from another host refused),
 * and early stopping that the log, the report and a resume all honour.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { evalRun } from '../../cli/commands/eval.js';
import { train } from '../../cli/commands/train.js';
import { paramTable, snapshotOf } from '../../cli/commands/model.js';
import { bestCheckpoint, listCheckpoints, loadCheckpoint } from '../../runtime/train/checkpoint.js';
import type { FileSystem } from '../../runtime/train/files.js';
import { readLog } from '../../runtime/train/log.js';
import type { ProgressSink } from '../../runtime/train/driver.js';
import { runTraining } from '../../runtime/train/run-training.js';
import { LOCK_FILE } from '../../runtime/train/run-lock.js';
import { runPaths } from '../../runtime/train/run-dir.js';
import { CLASSIFIER_SPEC, prepare, tempDir, useCpu, writeBarsDataset } from './fixtures.js';
import { captureOutput } from './output.js';

await useCpu();

const bars = writeBarsDataset(48);
const spec = join(tempDir('spec'), 'bars.gnet');
fs.writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${bars}`, 'epochs = 2'));
const prepared = await prepare(CLASSIFIER_SPEC(`mnist:${bars}`), { epochs: 2, checkpointEvery: 1 });

/** node:fs, but every file opened for writing fails with ENOSPC once `full` is set. */
function diskThatFills(): FileSystem & { full: boolean } {
  const io = { ...fs, full: false } as FileSystem & { full: boolean };
  io.openSync = ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    if (io.full && flags !== 'r') throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC' });
    return fs.openSync(path, flags ?? 'r', mode);
  }) as typeof fs.openSync;
  return io;
}

/** runTraining of the tiny classifier in `out`, with the disk filling up after step `fillAt`. */
async function trainOnDisk(out: string, options: { resume?: boolean; fillAt?: number } = {}) {
  const io = diskThatFills();
  const notices: string[] = [];
  const progress: ProgressSink = { start() {}, step: (at) => void (at.step === options.fillAt && (io.full = true)), epoch() {}, stop() {} };
  const { spec: compiled, config } = prepared;
  const record = { format: 'gnet-run', version: 1, createdAt: 'now', spec: { file: '/specs/tiny.gnet', network: 'TinyGauss', params: {} }, backend: 'cpu', train: config } as const;
  const run = { model: compiled.model, config, out, resume: options.resume ?? false, record, sources: snapshotOf('/specs/tiny.gnet', compiled.sources), moduleSource: compiled.source, params: paramTable(compiled.analysis) };
  const outcome = await runTraining({ ...run, io, progress, notice: (m) => notices.push(m) }).catch((error: Error) => error);
  return { outcome, notices };
}

const tempFiles = (folder: string) => fs.readdirSync(folder).filter((n) => n.includes('.tmp-'));

test('a full disk after a checkpoint: GN0802, the checkpoint and log before it are kept, --resume finishes the run', async () => {
  const out = join(tempDir('full'), 'run');
  const { outcome } = await trainOnDisk(out, { fillAt: 3 });
  assert.instance(outcome, Error);
  assert.match((outcome as Error).message, /^GN0802: the disk is full: could not write .*step-3-.*\.bin.*kept/);
  assert.equal(listCheckpoints(runPaths(out).checkpoint).map((e) => e.step), [2, 1]);
  assert.equal(tempFiles(runPaths(out).checkpoint), []);
  assert.not.ok(fs.existsSync(join(out, LOCK_FILE)), 'the lock is released on an error');
  const { outcome: resumed, notices } = await trainOnDisk(out, { resume: true });
  assert.not.instance(resumed, Error, String(resumed));
  assert.match(notices.join('\n'), /resuming from step-000000002\.json .*epoch 1\/2 continues after its step 2 \(global step 2\)/);
  assert.equal(readLog(runPaths(out).log).map((r) => [r.epoch, r.step]), [[1, 5], [2, 10]]);
});

test('a full disk before the first checkpoint, then --out and --resume on that run: --resume starts it again and says so', async () => {
  const out = join(tempDir('full'), 'run');
  const { outcome } = await trainOnDisk(out, { fillAt: 1 });
  assert.match((outcome as Error).message, /^GN0802: /);
  assert.equal(listCheckpoints(runPaths(out).checkpoint), []);
  const again = await captureOutput(() => train(spec, { backend: 'cpu', out }));
  assert.is(again.code, 1);
  assert.match(again.stderr, /gnet: error\[GN0807\]: .* already holds a run; it stopped before its first checkpoint: --resume .* starts it again from epoch 1 with its saved configuration/);
  const { outcome: restarted, notices } = await trainOnDisk(out, { resume: true });
  assert.not.instance(restarted, Error, String(restarted));
  assert.match(notices[0]!, /has no checkpoint \(it stopped before its first one\); starting it again from epoch 1 with its saved configuration/);
  assert.equal(readLog(runPaths(out).log).map((r) => r.epoch), [1, 2]);
});

test('--resume passes over a damaged newest checkpoint, says so, and sets it aside', async () => {
  const out = join(tempDir('damaged'), 'run');
  assert.is((await captureOutput(() => train(spec, { backend: 'cpu', out, checkpointEvery: 1, epochs: 1 }))).code, 0);
  const folder = runPaths(out).checkpoint;
  const [newest, previous] = listCheckpoints(folder);
  fs.writeFileSync(join(folder, newest!.file), fs.readFileSync(join(folder, newest!.file), 'utf8').slice(0, 100));
  const resumed = await captureOutput(() => train(spec, { backend: 'cpu', resume: out, epochs: 2 }));
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`the newest checkpoint is damaged \\(${newest!.file}: not valid JSON .*\\); set aside as \\*\\.damaged, falling back to ${previous!.file}, the newest intact one`));
  assert.match(resumed.stderr, /resuming from step-000000004\.json .*epoch 1\/2 continues after its step 4 \(global step 4\)/);
  assert.ok(fs.existsSync(join(folder, `${newest!.file}.damaged`)));
  assert.equal(readLog(runPaths(out).log).map((r) => [r.epoch, r.step]), [[1, 5], [2, 10]]);
  const kept = loadCheckpoint(folder, prepared.spec.model.module.meta);
  assert.is(kept.manifest.position.step, 10);
});

test('a stale lock from a dead process on this host is taken over with a message; a lock from another host is refused', async () => {
  const out = join(tempDir('lock'), 'run');
  assert.is((await captureOutput(() => train(spec, { backend: 'cpu', out, epochs: 1 }))).code, 0);
  assert.not.ok(fs.existsSync(join(out, LOCK_FILE)), 'released after the run');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  fs.writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: Number(dead), host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
  const taken = await captureOutput(() => train(spec, { backend: 'cpu', resume: out, epochs: 2 }));
  assert.is(taken.code, 0, taken.stderr);
  assert.match(taken.stderr, new RegExp(`gnet: took over the lock of .*run, left by process ${dead} on ${hostname()} .*which is no longer running`));
  assert.not.ok(fs.existsSync(join(out, LOCK_FILE)));

  fs.writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'build-node-7', since: '2026-01-01T00:00:00.000Z' }));
  const refused = await captureOutput(() => train(spec, { backend: 'cpu', resume: out, epochs: 3 }));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /gnet: error\[GN0810\]: .*run is being trained by process 4242 on build-node-7 .*on another host.*delete .*train\.lock/);
  assert.equal(readLog(runPaths(out).log).map((r) => r.epoch), [1, 2], 'the refused process wrote nothing');
  assert.ok(fs.existsSync(join(out, LOCK_FILE)), 'and left the other lock alone');
});

test('--early-stop ends the run when the watched metric stops improving; the log and report say so; a resume keeps the count', async () => {
  const out = join(tempDir('early'), 'run');
  // No accuracy can improve by more than 1: every epoch after the first counts against the patience.
  const first = await captureOutput(() => train(spec, { backend: 'cpu', out, epochs: 6, earlyStop: 2, minDelta: 1 }));
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stderr, /gnet: completed \(early stop at epoch 3\): val accuracy has not improved by more than 1 for 2 epochs \(best [\d.]+ at epoch 1; patience 2\)/);
  assert.match(first.stderr, /gnet: best checkpoint by val accuracy: .*run\/checkpoint\/step-\d+\.json \(epoch [123], [\d.]+\); the newest 2 are kept beside it/);
  const log = readLog(runPaths(out).log);
  assert.equal(log.map((r) => r.epoch), [1, 2, 3]);
  assert.match(log[2]!.earlyStop!, /has not improved/);
  assert.ok(fs.existsSync(join(out, 'model', 'model.json')));
  assert.match(fs.readFileSync(join(out, 'report.html'), 'utf8'), /completed \(early stop at epoch 3\)/);

  const still = await captureOutput(() => train(spec, { backend: 'cpu', resume: out }));
  assert.is(still.code, 0, still.stderr);
  assert.match(still.stderr, /early stop at epoch 3/);
  assert.is(readLog(runPaths(out).log).length, 3, 'resumed with the same patience, it stays stopped');
  const patient = await captureOutput(() => train(spec, { backend: 'cpu', resume: out, earlyStop: 3 }));
  assert.match(patient.stderr, /early stop at epoch 4\): .* for 3 epochs/);
  assert.equal(readLog(runPaths(out).log).map((r) => r.epoch), [1, 2, 3, 4], 'the count went on from 2, not from 0');
});

test('gnet eval --checkpoint best | last | FILE evaluates a kept checkpoint: the validation accuracy logged at its epoch', async () => {
  const out = join(tempDir('best'), 'run');
  assert.is((await captureOutput(() => train(spec, { backend: 'cpu', out, epochs: 3, keepCheckpoints: 1 }))).code, 0);
  const log = readLog(runPaths(out).log);
  const kept = listCheckpoints(runPaths(out).checkpoint);
  const best = bestCheckpoint(kept, 'accuracy')!;
  const bestEpoch = best.manifest!.position.epoch;
  const evalOf = async (checkpoint: string) => {
    const printed = await captureOutput(() => evalRun(out, { backend: 'cpu', json: true, split: 'validation', checkpoint }));
    assert.is(printed.code, 0, printed.stderr);
    return JSON.parse(printed.stdout);
  };
  const ofBest = await evalOf('best');
  assert.is(ofBest.weights, 'checkpoint best');
  assert.is(ofBest.metrics.accuracy, log[bestEpoch - 1]!.validation!.metrics.accuracy);
  assert.ok(log.every((r) => (r.validation!.metrics.accuracy as number) <= ofBest.metrics.accuracy));
  assert.is((await evalOf('last')).metrics.accuracy, log[2]!.validation!.metrics.accuracy);
  assert.is((await evalOf(kept[0]!.file)).loss, log[2]!.validation!.loss);
  const missing = await captureOutput(() => evalRun(out, { backend: 'cpu', checkpoint: 'step-7.json' }));
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /gnet: error\[GN0809\]: there is no checkpoint step-7\.json in .*; it holds step-0+15\.json/);
});

test.run();
