import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderMarkdown } from '../../compiler/report/markdown.js';
import { renderTable } from '../../compiler/report/table.js';
import { analyze, unet } from './networks.js';

function budgeted() {
  const t = unet();
  t.budget('params', '<=', 1_000_000).budget('trainable', '<=', 100);
  return analyze(t);
}

const lines = (text: string) => text.split('\n');

test('the terminal table starts with the doc comment and ends with totals and budget verdicts', () => {
  const a = budgeted();
  const text = renderTable(a);
  assert.is(lines(text)[0], 'UNet for the report tests');
  assert.is(lines(text)[1], 'network UNet: image 32×32×3 → mask 32×32×2');
  const params = a.totals.trainable + a.totals.nonTrainable;
  assert.ok(text.includes(`✓ budget params <= 1 000 000: ${params.toLocaleString('en-US').replace(/,/g, ' ')}`));
  assert.ok(text.includes('✗ budget trainable <= 100: '));
  assert.ok(text.includes(`Params: ${params.toLocaleString('en-US').replace(/,/g, ' ')} (trainable`));
});

test('each row shows the node, its op, shape, params with their share, MACs with a prefix and the field', () => {
  const a = budgeted();
  const row = lines(renderTable(a)).find((l) => l.includes(' conv_0 ') && l.includes('32×32×4'))!;
  const cells = row.split('│').map((c) => c.trim()).filter((c) => c !== '');
  const total = a.totals.trainable + a.totals.nonTrainable;
  const convParams = 5 * 5 * 3 * 4 + 4;
  // 32·32·4 outputs × 75 products = 307 200 → "307 k".
  assert.equal(cells, ['conv_0', 'conv', '32×32×4', '304', `${Math.round((100 * convParams) / total)} %`, '307 k', '16 KiB', '5, 1, 0']);
});

test('depth folds rows into their frames', () => {
  const a = budgeted();
  const full = lines(renderTable(a));
  const folded = lines(renderTable(a, { depth: 1 }));
  assert.ok(full.some((l) => l.includes('conv_0')));
  assert.not.ok(folded.some((l) => l.includes('conv_0')));
  assert.ok(folded.some((l) => l.includes('▸ e1') && l.includes('6 nodes')));
});

test('Markdown: a heading, a GitHub table with a header rule, one row per report row, bold totals', () => {
  const a = budgeted();
  const md = renderMarkdown(a, { depth: 1 });
  const table = lines(md).filter((l) => l.startsWith('|'));
  assert.is(lines(md)[0], '## UNet');
  assert.is(table[1], `|${' --- |'.repeat(9)}`);
  assert.is(table.length, 2 + 5 + 1);
  assert.ok(table.every((l) => l.split(' | ').length === 9));
  assert.ok(table.at(-1)!.startsWith('| **Total** |'));
  assert.ok(md.includes('- ✗ budget trainable <= 100: '));
});

test.run();
