/**
 * One contract for every engine. The same spec and flags on the TensorFlow.js engine (wasm; cpu and,
 * where a Vulkan driver is, WebGPU for the plain run) and on torch (where PyTorch is installed) must run the same epochs, stop early
 * after the same epoch, keep the same checkpoints, write the same log keys and losses (within float
 * tolerance), and answer every fault with the same code and outcome: a full disk (a real tmpfs),
 * a damaged newest checkpoint, a diverging run, SIGINT, SIGTERM and SIGKILL mid-run, and a second
 * process on the same run directory. Every run is a real `gnet train` process; waits are for events
 * (a checkpoint written, a lock taken, an exit), never for a fixed time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints, loadCheckpoint } from '../../runtime/train/checkpoint.js';
import { type EpochRecord, readLog } from '../../runtime/train/log.js';
import { LOCK_FILE } from '../../runtime/train/run-lock.js';
import { torchMissing } from '../torch/helpers.js';
import { vulkanMissing } from '../webgpu/support/gpu-available.js';
import { type Child, checkpointStep, gnet, waitFor } from './child.js';
import { CLASSIFIER_SPEC, compileSpec, tempDir, writeBarsDataset } from './fixtures.js';

const bars = writeBarsDataset(48);
const source = CLASSIFIER_SPEC(`mnist:${bars}`);
const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, source);
const { meta } = (await compileSpec(source)).model.module;

/** 36 training images in batches of 8: five steps an epoch. Epoch 2 cannot improve by 10, so every run stops early after it. */
const FLAGS = ['--epochs', '3', '--early-stop', '1', '--min-delta', '10', '--keep-checkpoints', '1', '--checkpoint-every', '1'];
const STEPS_PER_EPOCH = 5;

/** The two engines (TensorFlow.js, here on wasm, and torch) face every fault; the plain run adds tfjs cpu and WebGPU. */
const engines: string[] = ['wasm'];
if (torchMissing() === null) engines.push('torch');
else console.log(`  torch left out of the parity runs: ${torchMissing()}`);

const train = (engine: string, ...args: string[]): Child => gnet(['train', spec, '--backend', engine, ...args], { GNET_PYTHON: '/usr/bin/python3' });
/** A run held 300 ms after each checkpoint (test/support/cli-hooks.mjs), so a signal sent on seeing one lands before the run ends. */
const slowTrain = (engine: string, ...args: string[]): Child => gnet(['train', spec, '--backend', engine, ...args], { GNET_PYTHON: '/usr/bin/python3', GNET_TEST_SLOW_CHECKPOINTS_MS: '300' });
const newRun = (label: string) => join(tempDir(label), 'run');

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

async function succeeded(child: Child): Promise<Ended> {
  const end = await child.exited;
  assert.is(end.code, 0, end.stderr);
  return end;
}

/** The one `gnet: error[…]` line, which must be the only error and carry no stack trace. */
function errorLine(end: Ended, code: string): string {
  assert.is(end.code, 1, end.stderr);
  assert.not.match(end.stderr, /\n\s+at /, 'no stack trace');
  const lines = end.stderr.split('\n').filter((l) => l.startsWith('gnet: error['));
  assert.is(lines.length, 1, end.stderr);
  assert.ok(lines[0]!.startsWith(`gnet: error[${code}]: `), lines[0]);
  return lines[0]!;
}

const keptSteps = (out: string) => listCheckpoints(join(out, 'checkpoint')).map((e) => e.step);
const finalWeights = (out: string) => loadCheckpoint(join(out, 'checkpoint'), meta).state.weights;
const logKeys = (log: readonly EpochRecord[]) => log.map((r) => Object.keys(r).sort().join());

function maxDifference(a: ReturnType<typeof finalWeights>, b: ReturnType<typeof finalWeights>): number {
  let worst = 0;
  a.forEach((w, i) => w.values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]!.values[j]!)))));
  return worst;
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Each engine's uninterrupted run: the reference the faults' runs must end like. */
const plain = new Map<string, string>();

test('every engine runs the same epochs, stops early after the same epoch, keeps the same checkpoints and logs the same keys and losses', async () => {
  const backends = vulkanMissing() === undefined ? [...engines, 'cpu', 'webgpu'] : [...engines, 'cpu'];
  const runs = await Promise.all(backends.map(async (engine) => {
    const out = newRun(`plain-${engine}`);
    const end = await succeeded(train(engine, '--out', out, ...FLAGS));
    return { engine, out, end, log: readLog(join(out, 'log.jsonl')) };
  }));
  const [reference] = runs;
  for (const run of runs) {
    plain.set(run.engine, run.out);
    assert.match(run.end.stderr, /gnet: completed \(early stop at epoch 2\)/, run.engine);
    assert.equal(run.log.map((r) => [r.epoch, r.step, r.earlyStop !== undefined]), [[1, 5, false], [2, 10, true]], run.engine);
    assert.equal(keptSteps(run.out), keptSteps(reference!.out), `${run.engine}: checkpoints kept`);
    assert.equal(logKeys(run.log), logKeys(reference!.log), `${run.engine}: log keys`);
    run.log.forEach((r, i) => {
      const want = reference!.log[i]!;
      close(r.loss, want.loss, `${run.engine} epoch ${r.epoch} loss`);
      close(r.validation!.loss, want.validation!.loss, `${run.engine} epoch ${r.epoch} validation loss`);
      assert.equal(r.earlyStop, want.earlyStop, `${run.engine}: the same early-stop reason`);
    });
    assert.ok(maxDifference(finalWeights(run.out), finalWeights(reference!.out)) < 1e-4, `${run.engine}: final weights`);
    assert.ok(existsSync(join(run.out, 'model', 'model.json')) && existsSync(join(run.out, 'report.html')), run.engine);
  }
});

test('a diverging run stops with GN0803 at the same step on every engine and keeps only finite checkpoints', async () => {
  const lines = await Promise.all(engines.map(async (engine) => {
    const out = newRun(`nan-${engine}`);
    const line = errorLine(await train(engine, '--out', out, ...FLAGS, '--lr', '1e30').exited, 'GN0803');
    assert.ok(finalWeightsOrNone(out).every((w) => w.values.every(Number.isFinite)), `${engine}: finite checkpoints`);
    return line.replace(/ in \S+checkpoint/, ' in RUN/checkpoint');
  }));
  for (const line of lines) assert.is(line, lines[0], 'the same step, the same weight, the same message');
  assert.match(lines[0]!, /training diverged at epoch 1, step \d+ of 5 .*: (the loss|weight \S+) became/);
});

function finalWeightsOrNone(out: string) {
  return listCheckpoints(join(out, 'checkpoint')).length > 0 ? finalWeights(out) : [];
}

/** A run stopped by `signal` after its second checkpoint: the exit code and the saved checkpoint. */
async function stoppedBy(engine: string, signal: 'SIGINT' | 'SIGTERM', exit: number): Promise<string> {
  const out = newRun(`${signal}-${engine}`);
  const running = slowTrain(engine, '--out', out, ...FLAGS);
  await waitFor(() => checkpointStep(out) >= 2, running, 'the second checkpoint');
  running.process.kill(signal);
  const end = await running.exited;
  assert.is(end.code, exit, `${engine}: ${end.stderr}`);
  assert.match(end.stderr, /checkpoint saved\. Continue with: gnet train .* --resume /, engine);
  assert.ok(keptSteps(out).length > 0, `${engine}: a checkpoint is kept`);
  return out;
}

test('SIGINT mid-run saves a checkpoint and exits 130; --resume ends with the weights of the uninterrupted run', async () => {
  await Promise.all(engines.map(async (engine) => {
    const out = await stoppedBy(engine, 'SIGINT', 130);
    const resumed = await succeeded(train(engine, '--resume', out));
    assert.match(resumed.stderr, /resuming from step-\d+\.json .*\(global step \d+\)/, engine);
    assert.ok(maxDifference(finalWeights(out), finalWeights(plain.get(engine)!)) < 1e-5, `${engine}: resumed weights`);
  }));
});

// One handler stops the run for every signal of STOP_SIGNALS (cli/commands/train.ts): what SIGTERM
// changes is the exit code. SIGINT's run above resumes; SIGKILL's run below resumes without one.
test('SIGTERM mid-run saves a checkpoint and exits 143', async () => {
  await Promise.all(engines.map((engine) => stoppedBy(engine, 'SIGTERM', 143)));
});

test('a second process on a run directory in training is refused with GN0810 and changes nothing', async () => {
  await Promise.all(engines.map(async (engine) => {
    const out = newRun(`lock-${engine}`);
    const first = slowTrain(engine, '--out', out, '--epochs', '200', '--checkpoint-every', '1');
    await waitFor(() => existsSync(join(out, LOCK_FILE)) && checkpointStep(out) >= 1, first, 'the lock and a checkpoint');
    const before = keptSteps(out).length;
    const line = errorLine(await train(engine, '--resume', out).exited, 'GN0810');
    assert.match(line, /train\.lock|another process|is training/, engine);
    assert.ok(existsSync(join(out, LOCK_FILE)) && keptSteps(out).length >= before, `${engine}: the first run's lock and checkpoints are untouched`);
    first.process.kill('SIGTERM');
    assert.is((await first.exited).code, 143);
  }));
});

test('SIGKILL mid-run, then the newest checkpoint damaged: --resume takes over the dead lock, sets the damaged one aside, falls back to the one before and ends like the uninterrupted run', async () => {
  await Promise.all(engines.map(async (engine) => {
    const out = newRun(`killed-${engine}`);
    const running = slowTrain(engine, '--out', out, ...FLAGS, '--keep-checkpoints', '2');
    await waitFor(() => checkpointStep(out) >= 3, running, 'the third checkpoint');
    running.process.kill('SIGKILL');
    assert.is((await running.exited).signal, 'SIGKILL');
    const [newest] = listCheckpoints(join(out, 'checkpoint'));
    const bin = join(out, 'checkpoint', newest!.manifest!.weightsFile);
    const bytes = readFileSync(bin);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(bin, bytes);
    const resumed = await succeeded(train(engine, '--resume', out));
    assert.match(resumed.stderr, /lock/, `${engine}: the dead lock is named`);
    assert.match(resumed.stderr, /the newest checkpoint is damaged .*set aside as \*\.damaged, falling back to step-\d+\.json/, engine);
    assert.ok(existsSync(`${bin}.damaged`), `${engine}: the damaged file is kept aside`);
    assert.ok(maxDifference(finalWeights(out), finalWeights(plain.get(engine)!)) < 1e-5, `${engine}: resumed weights`);
  }));
});

/** A small tmpfs at a new folder, or undefined where this process may not mount one. */
function smallDisk(label: string): string | undefined {
  const dir = tempDir(label);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]).status === 0 ? dir : undefined;
}

/** Zeros into `path` until the disk is full. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

test('a disk that fills up mid-run (a real tmpfs): GN0802 on every engine, nothing half-written, --resume finishes once there is room', async () => {
  for (const engine of engines) {
    const disk = smallDisk(`full-${engine}`);
    if (!disk) {
      console.log('  (full disk left out: cannot mount a tmpfs here; checkpoint.test.ts covers it through the FileSystem interface)');
      return;
    }
    try {
      const out = join(disk, 'run');
      const running = train(engine, '--out', out, '--epochs', '200', '--checkpoint-every', '1');
      await waitFor(() => checkpointStep(out) >= 2, running, 'the second checkpoint');
      fillUp(join(disk, 'filler'));
      const line = errorLine(await running.exited, 'GN0802');
      assert.match(line, /the disk is full: could not .* \(ENOSPC\); free some space and run again — files written before are kept$/, engine);
      const newest = listCheckpoints(join(out, 'checkpoint')).find((e) => e.manifest)!;
      assert.ok(newest.step >= 2, engine);
      loadCheckpoint(join(out, 'checkpoint'), meta);
      const halfWritten = [join(out, 'checkpoint'), join(out, 'torch')].filter(existsSync).flatMap((f) => readdirSync(f).filter((n) => n.includes('.tmp-') || n.endsWith('.partial')));
      assert.equal(halfWritten, [], `${engine}: nothing half-written is left`);
      unlinkSync(join(disk, 'filler'));
      const epochs = Math.floor(newest.step / STEPS_PER_EPOCH) + 1;
      const resumed = await succeeded(train(engine, '--resume', out, '--epochs', String(epochs)));
      assert.match(resumed.stderr, new RegExp(`resuming from ${newest.file}`), engine);
      assert.is(readLog(join(out, 'log.jsonl')).length, epochs, engine);
    } finally {
      spawnSync('umount', [disk]);
    }
  }
});

test.run();
