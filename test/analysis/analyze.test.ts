import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { verifyIR } from '../../compiler/analysis/verify.js';
import { BLOCKS } from '../../compiler/blocks/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { TestGraph } from './graph-builder.js';

function analyze(t: TestGraph, batch?: number) {
  const graph = t.graph();
  assert.equal(verifyIR(graph), []);
  const diagnostics: Diagnostic[] = [];
  const analysis = analyzeGraph(graph, batch === undefined ? {} : { batch }, (d) => diagnostics.push(d));
  assert.equal(diagnostics, []);
  return analysis;
}

test('one row per node with shape, params, MACs, memory and field; totals are the column sums', () => {
  const t = new TestGraph();
  const x = t.input('x', [8, 8, 3]);
  const conv = t.add('conv', x, { filters: 4 });
  const bn = t.add('batchnorm', conv);
  t.output('y', t.add('relu', bn));
  const a = analyze(t, 2);
  assert.equal(a.rows.map((r) => r.node.id), [0, 1, 2, 3]);
  const row = a.rows[conv]!;
  assert.equal([row.shape, row.trainable, row.nonTrainable, row.macs, row.activationBytes], [[8, 8, 4], 112, 0, 8 * 8 * 4 * 27, 8 * 8 * 4 * 4 * 2]);
  assert.equal(row.receptiveField[0]!.axes[0], { size: 3, jump: 1, start: 0 });
  const sum = (pick: (r: (typeof a.rows)[number]) => number) => a.rows.reduce((s, r) => s + pick(r), 0);
  assert.equal(a.totals, {
    trainable: 112 + 8,
    nonTrainable: 8,
    macs: sum((r) => r.macs),
    activationBytes: (8 * 8 * 3 + 3 * 8 * 8 * 4) * 4 * 2,
  });
  assert.is(a.batch, 2);
});

test('rows carry the block’s own detail and the weight owner of a shared use', () => {
  const t = new TestGraph();
  const x = t.input('x', [16, 16, 8]);
  const g = t.add('gauss', x, { filters: 8, size: 5, bases: 2 }, { path: ['g'], weights: 'g' });
  const again = t.add('gauss', g, { filters: 8, size: 5, bases: 2 }, { path: ['g_1'], weights: 'g' });
  const a = analyze(t);
  const shapes = [[16, 16, 8]] as const;
  assert.is(a.rows[g]!.detail, BLOCKS.gauss.describe!(shapes, t.graph().nodes[g]!.attrs, [16, 16, 8]));
  assert.ok(a.rows[g]!.detail.length > 0);
  assert.is(a.rows[again]!.sharedWith, 'g');
  assert.is(a.rows[again]!.trainable, 0);
  assert.is(a.rows[x]!.detail, '');
});

test.run();
