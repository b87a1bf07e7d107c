/**
 * Material for the experiment tests: a tiny 3-class IDX data set (12×12 bars, train and t10k
 * files), a spec file with two tiny networks, and `gnet` run as a child process of the real CLI.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeIdx, tempDir, writeFile } from '../data/helpers.js';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';

export { tempDir };

const SIZE = 12;

/** Bar images: class 0 a bar at the top, 1 at the bottom, 2 at the left; noise makes every image unique. */
function bars(count: number, seed: number): { pixels: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(count * SIZE * SIZE);
  const labels = new Uint8Array(count);
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const bar = label === 0 ? y < 3 : label === 1 ? y >= SIZE - 3 : x < 3;
        pixels[(i * SIZE + y) * SIZE + x] = Math.min(255, Math.round((bar ? 200 : 30) + 50 * random()));
      }
    }
  }
  return { pixels, labels };
}

/** train-* (`train` images) and t10k-* (`test` images) IDX files in a new folder. */
export function writeBarsWithTest(train = 36, test = 9): string {
  const dir = tempDir('exp-bars');
  for (const [prefix, count, seed] of [['train', train, 7], ['t10k', test, 99]] as const) {
    const { pixels, labels } = bars(count, seed);
    writeFile(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx('ubyte', [count, SIZE, SIZE], pixels));
    writeFile(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx('ubyte', [count], labels));
  }
  return dir;
}

/** Two small classifiers of 12×12 bars; `extra` is added to the second one's train section. */
export function writeSpecs(data: string, extra = ''): string {
  const file = join(tempDir('exp-spec'), 'pair.gnet');
  writeFileSync(
    file,
    `network Small(classes = 3) {
  input image: 12 x 12 x 1
  output scores = image -> conv(4, size=3) -> relu -> maxpool(2) -> global_avgpool -> dense(classes) -> softmax
  train { data = "${data}" optimizer = adam(lr = 0.05) epochs = 1 batch = 8 validation_split = 0 }
}

network Wide(classes = 3) {
  input image: 12 x 12 x 1
  output scores = image -> conv(8, size=3) -> relu -> maxpool(2) -> conv(8, size=3) -> relu -> global_avgpool -> dense(classes) -> softmax
  train { data = "${data}" optimizer = adam(lr = 0.05) epochs = 1 batch = 8 validation_split = 0 ${extra} }
}
`,
  );
  return file;
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const root = new URL('../..', import.meta.url).pathname;

/** `gnet ARGS…` through the real command line (test/support/gnet-command.ts), in its own process group. */
export function gnet(args: readonly string[]) {
  const child = spawn(process.execPath, [...GNET_NODE_ARGS, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const exited = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { process: child, exited, output: () => stderr };
}
