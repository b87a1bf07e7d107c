import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inferShapes } from '../../compiler/analysis/shapes.js';
import { verifyIR } from '../../compiler/analysis/verify.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { TestGraph } from './graph-builder.js';

function infer(t: TestGraph) {
  const graph = t.graph();
  assert.equal(verifyIR(graph), []);
  const diagnostics: Diagnostic[] = [];
  const shapes = inferShapes(graph, (d) => diagnostics.push(d));
  return { graph, shapes, diagnostics };
}

test('shapes follow each block rule down a LeNet-like chain', () => {
  const t = new TestGraph();
  const x = t.input('x', [32, 32, 1]);
  const ids = [x];
  ids.push(t.add('conv', x, { filters: 6, size: 5, padding: 'valid' }));
  ids.push(t.add('avgpool', ids.at(-1)!, { size: 2 }));
  ids.push(t.add('conv', ids.at(-1)!, { filters: 16, size: 5, stride: 1, padding: 'valid' }));
  ids.push(t.add('maxpool', ids.at(-1)!, { size: 2 }));
  ids.push(t.add('flatten', ids.at(-1)!));
  ids.push(t.add('dense', ids.at(-1)!, { units: 10 }));
  const { shapes, diagnostics } = infer(t);
  assert.equal(diagnostics, []);
  assert.equal(ids.map((id) => shapes[id]), [[32, 32, 1], [28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [400], [10]]);
});

test('a mismatched concat is one diagnostic naming both producers; later nodes are skipped without more', () => {
  const t = new TestGraph();
  const x = t.input('x', [32, 32, 3]);
  const e1 = t.add('conv', x, { filters: 8 }, { path: ['e1'] });
  const e2 = t.add('maxpool', e1, { size: 2 }, { path: ['e2'] });
  const joined = t.add('concat', [e2, e1], {}, { path: ['d1', 'concat'] });
  const after = t.chain(joined, [['conv', { filters: 4 }], ['relu']]);
  const { graph, shapes, diagnostics } = infer(t);
  assert.is(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.is(d!.code, 'GN0302');
  assert.equal(d!.primary.span, graph.nodes[joined]!.span);
  assert.match(d!.message, 'e2 (maxpool)');
  assert.equal(
    d!.secondary!.map((l) => [l.span, l.label]),
    [
      [graph.nodes[e2]!.span, 'e2 (maxpool) produces 16×16×8'],
      [graph.nodes[e1]!.span, 'e1 (conv) produces 32×32×8'],
    ],
  );
  assert.is(shapes[joined], null);
  assert.is(shapes[after], null);
  assert.equal(shapes[e2], [16, 16, 8]);
});

test('a pool that does not divide the size poisons only what depends on it', () => {
  const t = new TestGraph();
  const x = t.input('x', [15, 15, 1]);
  const pooled = t.add('maxpool', x, { size: 2 });
  const side = t.add('conv', x, { filters: 2 });
  const { graph, shapes, diagnostics } = infer(t);
  assert.equal(diagnostics.map((d) => [d.code, d.primary.span]), [['GN0304', graph.nodes[pooled]!.span]]);
  assert.is(shapes[pooled], null);
  assert.equal(shapes[side], [15, 15, 2]);
});

test('an input node takes its declared shape', () => {
  const t = new TestGraph();
  const x = t.input('x', [7, 5, 2]);
  assert.equal(infer(t).shapes[x], [7, 5, 2]);
});

test.run();
