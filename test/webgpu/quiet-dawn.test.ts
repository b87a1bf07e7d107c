/**
 * Dawn's "…artificially reduced…" limit warnings (printed by native code on lavapipe while it finds
 * the adapter) never reach the terminal: not from `gnet train --backend webgpu` with stderr on a
 * pipe, a terminal or a file opened for appending, and stderr works again afterwards.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';
import { tempDir } from '../train/fixtures.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();

const ROOT = new URL('../../', import.meta.url).pathname;
const WARNING = /artificially reduced/;

const SPEC = `
network TinyCells {
  input image: 16 x 16 x 1
  a = image -> gauss(3, size=3, order=1, bases=1) -> relu
  output mask = a -> conv(2, size=1) -> softmax
  train { data = "synthetic-cells:8" loss = crossentropy optimizer = adam(lr = 0.05) epochs = 1 batch = 4 validation_split = 0.25 }
}`;

const spec = join(tempDir('quiet'), 'tiny.gnet');
writeFileSync(spec, SPEC);

/**
 * `argv` with its stderr on a real pipe (a shell pipeline into cat), as a terminal user's `| less`
 * or `2>&1 | tee` gives it; Node's own child pipes are sockets, which cannot be reopened. Returns
 * what came through that pipe.
 */
function pipedStderr(argv: readonly string[]): { status: number | null; stderr: string } {
  const run = spawnSync('sh', ['-c', '{ "$@" 2>&1 >/dev/null; echo "exit status $?"; } | cat', 'sh', ...argv], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const status = /exit status (\d+)\n$/.exec(run.stdout)?.[1];
  return { status: status === undefined ? null : Number(status), stderr: run.stdout.replace(/exit status \d+\n$/, '') };
}

/** Asks Dawn for an adapter in a child, with or without the silencer, then writes the adapter to stderr. */
function adapterChild(silenced: boolean): { stderr: string; adapter: string } {
  const script = `
    const { create } = await import('webgpu');
    const { withNativeStderrSilenced } = await import(${JSON.stringify(join(ROOT, 'backends/webgpu/quiet-stderr.ts'))});
    const ask = () => create([]).requestAdapter();
    const adapter = await (${silenced} ? withNativeStderrSilenced(ask) : ask());
    process.stderr.write('after: ' + (adapter?.info?.description || adapter?.info?.device || 'none') + '\\n');
    process.exit(0);`;
  const child = pipedStderr([process.execPath, '--import', 'tsx', '--input-type=module', '-e', script]);
  assert.is(child.status, 0, child.stderr);
  return { stderr: child.stderr, adapter: /^after: (.*)$/m.exec(child.stderr)?.[1] ?? '' };
}

gpu('around the adapter request, Dawn’s warnings go nowhere and stderr works again after', () => {
  const loud = adapterChild(false);
  const quiet = adapterChild(true);
  // Where Dawn warns at all (lavapipe does), the silencer must hide it.
  if (/llvmpipe|lavapipe/i.test(loud.adapter)) assert.match(loud.stderr, WARNING, 'the control run shows the warning');
  assert.not.match(quiet.stderr, WARNING);
  assert.match(quiet.stderr, /^after: /m, 'stderr is back after the request');
});

const trainArgs = (out: string) => [process.execPath, ...GNET_NODE_ARGS, 'train', spec, '--backend', 'webgpu', '--out', out];

gpu('gnet train --backend webgpu prints no limit warning on a pipe or an appended log file', () => {
  const piped = pipedStderr(trainArgs(join(tempDir('quiet-pipe'), 'run')));
  assert.is(piped.status, 0, piped.stderr);
  assert.match(piped.stderr, /with the webgpu backend/);
  assert.match(piped.stderr, /gnet: done/, 'messages after the device request still arrive');
  assert.not.match(piped.stderr, WARNING);

  const log = join(tempDir('quiet-log'), 'stderr.log');
  writeFileSync(log, 'earlier line\n');
  const fd = openSync(log, 'a');
  const [node, ...args] = trainArgs(join(tempDir('quiet-file'), 'run'));
  const appended = spawnSync(node!, args, { cwd: ROOT, stdio: ['ignore', 'ignore', fd], timeout: 300_000 });
  closeSync(fd);
  const text = readFileSync(log, 'utf8');
  assert.is(appended.status, 0, text);
  assert.ok(text.startsWith('earlier line\n') && /gnet: done/.test(text), text);
  assert.not.match(text, WARNING);
});

const SCRIPT = '/usr/bin/script';
(existsSync(SCRIPT) ? gpu : test.skip)('… nor on a terminal (script(1) gives the run a pseudo-terminal)', () => {
  const out = join(tempDir('quiet-tty'), 'run');
  const command = trainArgs(out).map((a) => `'${a}'`).join(' ');
  const run = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.is(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /gnet: done/);
  assert.not.match(run.stdout, WARNING);
});

test.run();
