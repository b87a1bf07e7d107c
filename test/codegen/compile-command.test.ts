import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, runCompile as run } from './helpers.js';

const FIXTURE = join(REPO, 'test/codegen/fixtures/blocks.gnet');

const scratch = () => mkdtempSync(join(tmpdir(), 'gnet-compile-'));

test('writes DIR/<network>.ts for every network and nothing else', async () => {
  const out = join(scratch(), 'gen');
  const result = await run(FIXTURE, { out });
  assert.is(result.code, 0, result.err);
  assert.equal(readdirSync(out).sort(), ['Classifier.ts', 'Segmenter.ts', 'Twins.ts']);
  assert.match(readFileSync(join(out, 'Twins.ts'), 'utf8'), 'export function forward(');
  assert.match(result.out, 'Twins.ts');
  rmSync(out, { recursive: true });
});

test('--network picks one network; --param overrides reach the code', async () => {
  const out = scratch();
  const result = await run(FIXTURE, { out, network: 'Segmenter', param: new Map([['classes', 7]]) });
  assert.is(result.code, 0, result.err);
  assert.equal(readdirSync(out), ['Segmenter.ts']);
  assert.match(readFileSync(join(out, 'Segmenter.ts'), 'utf8'), '{ name: "mask", shape: [30, 30, 7] }');
  rmSync(out, { recursive: true });
});

test('errors (front end or shapes) print diagnostics, exit 1 and write nothing', async () => {
  const dir = scratch();
  const bad = join(dir, 'bad.gnet');
  writeFileSync(bad, 'network B { input x: 9 x 9 x 1\n output o = x -> maxpool(2) }');
  const result = await run(bad, { out: join(dir, 'gen') });
  assert.is(result.code, 1);
  assert.match(result.err, 'GN0304');
  assert.equal(readdirSync(dir), ['bad.gnet']);
  const missing = await run(FIXTURE, { out: join(dir, 'gen'), network: 'Nope' });
  assert.is(missing.code, 1);
  assert.match(missing.err, 'GN0210');
  rmSync(dir, { recursive: true });
});

test.run();
