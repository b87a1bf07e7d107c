/**
 * `gnet train` as a separate process: killed with SIGKILL in the middle of a run it leaves a
 * loadable checkpoint, and --resume finishes the run from there. Ctrl-C (SIGINT, raised in this
 * process to spare a third start-up) stops a run after saving a checkpoint, with exit code 130.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../cli/commands/train.js';
import { readLog } from '../../runtime/train/log.js';
import { CLASSIFIER_SPEC, tempDir, useCpu, writeBarsDataset } from './fixtures.js';
import { captureOutput } from './output.js';

await useCpu();

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'test/train/gnet-cli.ts');

const spec = join(tempDir('spec'), 'bars.gnet');
writeFileSync(spec, CLASSIFIER_SPEC(`mnist:${writeBarsDataset(72)}`, 'epochs = 2'));

interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function gnet(...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { process: child, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr }))) };
}

/** The step of the committed checkpoint, or −1 while there is none. */
function checkpointStep(out: string): number {
  const path = join(out, 'checkpoint', 'checkpoint.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).position.step : -1;
}

async function waitForStep(out: string, step: number, child: Child): Promise<void> {
  let done = false;
  child.exited.then(() => (done = true));
  while (checkpointStep(out) < step) {
    if (done) throw new Error(`gnet train ended before step ${step}: ${(await child.exited).stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SIGKILL in the middle of a run leaves a checkpoint that --resume finishes from', async () => {
  const out = join(tempDir('kill'), 'run');
  const first = gnet('train', spec, '--backend', 'cpu', '--out', out, '--checkpoint-every', '1');
  await waitForStep(out, 4, first);
  first.process.kill('SIGKILL');
  assert.is((await first.exited).signal, 'SIGKILL');
  const killedAt = checkpointStep(out);
  assert.ok(killedAt >= 4 && killedAt < 14, `killed at step ${killedAt}`);

  const resumed = await gnet('train', spec, '--backend', 'cpu', '--resume', out).exited;
  assert.is(resumed.code, 0, resumed.stderr);
  const firstProgress = resumed.stderr.split('\n').find((l) => l.startsWith('epoch '))!;
  const [, epoch, step] = /^epoch (\d+)\/2 step (\d+)/.exec(firstProgress) ?? [];
  assert.ok(Number(epoch) > 1 || Number(step) > 1, `resumed where it stopped, not from the start: ${firstProgress}`);
  assert.equal(readLog(join(out, 'log.jsonl')).map((r) => [r.epoch, r.step]), [[1, 7], [2, 14]]);
  assert.is(checkpointStep(out), 14);
  assert.ok(existsSync(join(out, 'model', 'model.json')));
});

test('Ctrl-C (SIGINT) stops after saving a checkpoint, with exit code 130 and how to continue', async () => {
  const out = join(tempDir('interrupt'), 'run');
  const running = captureOutput(() => train(spec, { backend: 'cpu', out, checkpointEvery: 2 }));
  while (checkpointStep(out) < 2) await new Promise((r) => setTimeout(r, 20));
  process.emit('SIGINT');
  const { code, stderr } = await running;
  assert.is(code, 130, stderr);
  assert.match(stderr, /checkpoint saved\. Continue with: gnet train .* --resume /);
  const [, step] = /step (\d+); checkpoint saved/.exec(stderr) ?? [];
  assert.is(checkpointStep(out), Number(step));
  assert.ok(Number(step) < 14, 'stopped before the end');
});

test.run();
