/** `gnet report --format json` with a relative spec path: real line and column for every block and budget, one path convention for both. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { report } from '../../cli/commands/report.js';
import { captured } from './capture.js';

interface Source { file: string; line: number | null; column: number | null }
type Report = { blocks: { name: string; source: Source }[]; budgets: { source: Source }[] };

async function json(file: string): Promise<Report> {
  const r = await captured(() => report([file], { batch: 1, format: 'json' }));
  assert.is(r.code, 0, r.err);
  return JSON.parse(r.out) as Report;
}

test('relative path: every block and budget has a line, a column and the path as given', async () => {
  assert.ok(!process.cwd().endsWith('specs'));
  const r = await json('specs/lenet5.gnet');
  assert.ok(r.blocks.length > 5 && r.budgets.length > 0);
  for (const x of [...r.blocks, ...r.budgets]) {
    assert.is(x.source.file, 'specs/lenet5.gnet');
    assert.ok(Number.isInteger(x.source.line) && x.source.line! > 0, JSON.stringify(x));
    assert.ok(Number.isInteger(x.source.column) && x.source.column! > 0, JSON.stringify(x));
  }
  assert.equal(r.budgets[0]!.source, { file: 'specs/lenet5.gnet', line: 21, column: 3 });
});

test('absolute path and imported blocks: the same convention (relative to the working directory)', async () => {
  const abs = await json(`${process.cwd()}/specs/lenet5.gnet`);
  const rel = await json('specs/lenet5.gnet');
  assert.equal(abs, rel);
  const imported = await json('specs/examples/imports.gnet');
  const files = new Set(imported.blocks.map((b) => b.source.file));
  assert.ok(files.has('specs/examples/common.gnet'), [...files].join(', '));
  for (const b of imported.blocks) assert.ok(b.source.line !== null && !b.source.file.startsWith('/'), JSON.stringify(b));
});

test.run();
