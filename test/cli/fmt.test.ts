import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fmt } from '../../cli/commands/fmt.js';
import { captured } from './capture.js';

const UGLY = 'network N{input x:4x4x1\ny=x->relu}';
const PRETTY = 'network N {\n  input x: 4 x 4 x 1\n  y = x -> relu\n}\n';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-fmt-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('one file, no flag: the formatted text on stdout, the file untouched', async () => {
  const dir = scratch({ 'a.gnet': UGLY });
  const r = await captured(() => fmt([join(dir, 'a.gnet')], {}));
  assert.is(r.code, 0);
  assert.is(r.out, PRETTY);
  assert.is(readFileSync(join(dir, 'a.gnet'), 'utf8'), UGLY);
});

test('--check lists the files that would change and exits 1; 0 when all are formatted', async () => {
  const dir = scratch({ 'a.gnet': UGLY, 'b.gnet': PRETTY });
  const r = await captured(() => fmt([join(dir, 'a.gnet'), join(dir, 'b.gnet')], { check: true }));
  assert.is(r.code, 1);
  assert.match(r.out, 'a.gnet');
  assert.not.match(r.out, 'b.gnet');
  assert.match(r.err, '1 file would be reformatted');
  const ok = await captured(() => fmt([join(dir, 'b.gnet')], { check: true }));
  assert.is(ok.code, 0);
  assert.is(ok.out, '');
});

test('--check passes one layout of a spec only: the same spec broken over other lines, or a shape written `4x4x1`, would change', async () => {
  const dir = scratch({ 'a.gnet': PRETTY, 'b.gnet': PRETTY.replace(' -> relu', '\n    -> relu'), 'c.gnet': PRETTY.replace('4 x 4 x 1', '4x4x1') });
  const r = await captured(() => fmt(['a.gnet', 'b.gnet', 'c.gnet'].map((f) => join(dir, f)), { check: true }));
  assert.is(r.code, 1);
  assert.not.match(r.out, 'a.gnet');
  assert.match(r.out, 'b.gnet');
  assert.match(r.out, 'c.gnet');
});

test('--write rewrites in place (same permissions, no temporary file left), then --check passes', async () => {
  const dir = scratch({ 'a.gnet': UGLY, 'b.gnet': PRETTY });
  chmodSync(join(dir, 'a.gnet'), 0o640);
  const r = await captured(() => fmt([join(dir, 'a.gnet'), join(dir, 'b.gnet')], { write: true }));
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'formatted');
  assert.not.match(r.out, 'b.gnet');
  assert.is(readFileSync(join(dir, 'a.gnet'), 'utf8'), PRETTY);
  assert.is(statSync(join(dir, 'a.gnet')).mode & 0o777, 0o640);
  assert.equal(readdirSync(dir).sort(), ['a.gnet', 'b.gnet']);
  assert.is((await captured(() => fmt([join(dir, 'a.gnet')], { check: true }))).code, 0);
});

test('a file with syntax errors: its diagnostics, exit 1, left as it was', async () => {
  const dir = scratch({ 'bad.gnet': 'network N { y = x -> }' });
  const r = await captured(() => fmt([join(dir, 'bad.gnet')], { write: true }));
  assert.is(r.code, 1);
  assert.match(r.err, 'error[GN0003]');
  assert.match(r.err, 'not formatted');
  assert.is(readFileSync(join(dir, 'bad.gnet'), 'utf8'), 'network N { y = x -> }');
});

test('usage: a missing file, --check with --write, several files without a flag', async () => {
  const dir = scratch({ 'a.gnet': PRETTY });
  const missing = await captured(() => fmt([join(dir, 'nope.gnet')], { check: true }));
  assert.is(missing.code, 1);
  assert.match(missing.err, 'cannot read');
  assert.is((await captured(() => fmt([join(dir, 'a.gnet')], { check: true, write: true }))).code, 2);
  assert.is((await captured(() => fmt([join(dir, 'a.gnet'), join(dir, 'a.gnet')], {}))).code, 2);
});

test.run();
