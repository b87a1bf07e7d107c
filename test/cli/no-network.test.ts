/** `gnet check` / `report` / `compile` on a file without a network say there is nothing to do (exit 0); a network asked for by name is an error. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../cli/commands/check.js';
import { compile } from '../../cli/commands/compile.js';
import { report } from '../../cli/commands/report.js';
import { captured } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'gnet-nonet-'));
const blocks = join(dir, 'blocks.gnet');
const empty = join(dir, 'empty.gnet');
writeFileSync(blocks, 'block cbr(c) { conv(c, 3) -> batchnorm -> relu }\nblock head(n) { global_avgpool -> dense(n) }\n');
writeFileSync(empty, '// nothing yet\n');

test('check: says the file has no network and names its blocks; exit 0', async () => {
  const r = await captured(() => check([blocks], { format: 'text' }));
  assert.is(r.code, 0);
  assert.match(r.err, 'no network, nothing to check beyond syntax: it defines only blocks (cbr, head)');
  const e = await captured(() => check([empty], { format: 'text' }));
  assert.is(e.code, 0);
  assert.match(e.err, 'it declares no network');
});

test('report: says there is nothing to report (table and JSON); exit 0', async () => {
  const r = await captured(() => report([blocks], { batch: 1, format: 'table' }));
  assert.is(r.code, 0);
  assert.match(r.err, 'no network, nothing to report');
  assert.is(r.out, '');
  const j = await captured(() => report([blocks], { batch: 1, format: 'json' }));
  assert.is(j.code, 0);
  assert.equal(JSON.parse(j.out), []);
});

test('compile: says there is nothing to compile and writes nothing; exit 0', async () => {
  const out = join(dir, 'gen');
  const r = await captured(() => compile(blocks, { out }));
  assert.is(r.code, 0);
  assert.match(r.err, 'no network, nothing to compile');
  assert.is(existsSync(out), false);
});

test('a network asked for by name that is not there is an error (exit 1)', async () => {
  const r = await captured(() => report([blocks], { batch: 1, format: 'table', network: 'ResNet' }));
  assert.is(r.code, 1);
  assert.match(r.err, 'GN0210');
  assert.match(r.err, 'networks here: none');
  assert.is((await captured(() => compile(blocks, { out: join(dir, 'x'), network: 'ResNet' }))).code, 1);
});

test.run();
