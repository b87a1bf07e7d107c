import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { TestGraph } from './graph-builder.js';

/**
 * 8×8×3 → conv 16 (448) → conv 32 (4 640) → conv 64 (18 496) → batchnorm (128 + 128) → conv 10 1×1 (650):
 * 24 362 trainable, 128 non-trainable; receptive field 7 px.
 */
function network(): { t: TestGraph; convs: number[] } {
  const t = new TestGraph();
  const x = t.input('x', [8, 8, 3]);
  const c16 = t.add('conv', x, { filters: 16 });
  const c32 = t.add('conv', c16, { filters: 32 });
  const c64 = t.add('conv', c32, { filters: 64 });
  const head = t.add('conv', t.add('batchnorm', c64), { filters: 10, size: 1 });
  t.output('y', head);
  return { t, convs: [c16, c32, c64, head] };
}

function check(t: TestGraph) {
  const diagnostics: Diagnostic[] = [];
  const graph = t.graph();
  return { graph, diagnostics, analysis: analyzeGraph(graph, {}, (d) => diagnostics.push(d)) };
}

test('budgets that hold pass silently', () => {
  const { t } = network();
  t.budget('params', '<=', 30_000).budget('trainable', '<', 24_363).budget('receptive', '>=', 7).budget('macs', '>', 0);
  const { analysis, diagnostics } = check(t);
  assert.equal(diagnostics, []);
  assert.equal(analysis.budgets.map((b) => [b.status, b.value]), [['pass', 24_490], ['pass', 24_362], ['pass', 7], ['pass', analysis.totals.macs]]);
});

test('a failing parameter budget names the three largest contributors and the numbers', () => {
  const { t, convs } = network();
  t.budget('trainable', '<=', 20_000);
  const { graph, diagnostics, analysis } = check(t);
  assert.is(analysis.budgets[0]!.status, 'fail');
  assert.is(diagnostics.length, 1);
  const d = diagnostics[0]!;
  assert.is(d.code, 'GN0501');
  assert.is(d.severity, 'error');
  assert.equal(d.primary.span, graph.budgets[0]!.span);
  assert.equal(d.notes, ['trainable params 24 362 > 20 000 (122 %)']);
  const [c16, c32, c64, head] = convs as [number, number, number, number];
  assert.equal(
    d.secondary!.map((l) => [l.span, l.label]),
    [
      [graph.nodes[c64]!.span, `${graph.nodes[c64]!.name} (conv): 18 496 (76 %)`],
      [graph.nodes[c32]!.span, `${graph.nodes[c32]!.name} (conv): 4 640 (19 %)`],
      [graph.nodes[head]!.span, `${graph.nodes[head]!.name} (conv): 650 (3 %)`],
    ],
  );
  assert.not.ok(d.secondary!.some((l) => l.span === graph.nodes[c16]!.span));
});

test('memory is checked at the budget’s batch', () => {
  const { t } = network();
  // 8·8·(3 + 16 + 32 + 64 + 64 + 10) floats = 48 384 bytes per example, 774 144 at batch 16 (756 KiB).
  t.budget('memory', '<=', 1024 * 1024, 16).budget('memory', '<=', 512 * 1024, 16);
  const { diagnostics, analysis } = check(t);
  assert.equal(analysis.budgets.map((b) => [b.status, b.value]), [['pass', 774_144], ['fail', 774_144]]);
  assert.equal(diagnostics[0]!.notes, ['activation memory 756 KiB > 512 KiB at batch 16 (148 %)']);
});

test('a receptive-field budget names the blocks that widen the field most', () => {
  const { t, convs } = network();
  t.budget('receptive', '>=', 10);
  const { graph, diagnostics } = check(t);
  assert.equal(diagnostics[0]!.notes, ['receptive field 7 px < 10 px (70 %)']);
  assert.equal(diagnostics[0]!.secondary!.map((l) => l.span), convs.slice(0, 3).map((id) => graph.nodes[id]!.span));
});

test('after a shape error budgets are not judged and add no diagnostic', () => {
  const { t } = network();
  t.add('maxpool', 1, { size: 3 });
  t.budget('params', '<=', 1);
  const { diagnostics, analysis } = check(t);
  assert.equal(diagnostics.map((d) => d.code), ['GN0304']);
  assert.equal(analysis.budgets.map((b) => [b.status, b.value]), [['unknown', null]]);
});

test.run();
