import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareAnalyses, comparisonMarkdown, renderComparison } from '../../compiler/report/compare.js';
import { analyze, unet } from './networks.js';

test('one column per network: totals, then every block kind with count, params and MACs', () => {
  const conv = analyze(unet({ name: 'ConvUNet' }));
  const gauss = analyze(unet({ name: 'GaussUNet', gauss: true }));
  const c = compareAnalyses([conv, gauss]);
  assert.equal(c.networks, ['ConvUNet', 'GaussUNet']);
  const row = (label: string) => c.totals.find((t) => t.label === label)!.values;
  assert.equal(row('Trainable').map((v) => Number(v.replace(/ /g, ''))), [conv.totals.trainable, gauss.totals.trainable]);
  assert.equal(row('Nodes'), [String(conv.rows.length), String(gauss.rows.length)]);
  const kind = (op: string) => c.kinds.find((k) => k.op === op)!.figures;
  assert.equal(kind('gauss').map((f) => f.count), [0, 6]);
  assert.equal(kind('conv').map((f) => f.count), [7, 1]);
  const gaussParams = gauss.rows.filter((r) => r.node.op === 'gauss').reduce((s, r) => s + r.trainable + r.nonTrainable, 0);
  assert.is(kind('gauss')[1]!.params, gaussParams);
  // Kinds are ordered by parameters over all networks.
  const weights = c.kinds.map((k) => k.figures.reduce((s, f) => s + f.params, 0));
  assert.equal(weights, [...weights].sort((x, y) => y - x));
});

test('the comparison renders as a terminal table and as Markdown', () => {
  const c = compareAnalyses([analyze(unet({ name: 'A' })), analyze(unet({ name: 'B', base: 8 }))]);
  const text = renderComparison(c);
  assert.ok(text.includes('│ A ') && text.includes('│ B '));
  const md = comparisonMarkdown(c).split('\n');
  assert.is(md[0], '|  | A | B |');
  assert.is(md.length, 2 + c.totals.length + c.kinds.length);
});

test.run();
