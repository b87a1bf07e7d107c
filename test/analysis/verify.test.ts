import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyIR } from '../../compiler/analysis/verify.js';
import type { IRGraph, IRNode } from '../../compiler/ir/ir.js';
import { TestGraph } from './graph-builder.js';

function valid(): IRGraph {
  const t = new TestGraph();
  const x = t.input('x', [8, 8, 1]);
  const a = t.add('conv', x, { filters: 2 });
  t.output('y', t.add('add', [a, t.add('conv', x, { filters: 2 })]));
  return t.graph();
}

/** The valid graph with node `id` changed. */
function withNode(id: number, change: (node: IRNode) => Partial<IRNode>): IRGraph {
  const graph = valid();
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, ...change(n) } : n)) };
}

test('a well-formed graph has no problems', () => {
  assert.equal(verifyIR(valid()), []);
});

const cases: [string, IRGraph, string][] = [
  ['id differs from index', withNode(1, () => ({ id: 7 })), 'differs from its index'],
  ['input from a later node', withNode(1, () => ({ inputs: [2] })), 'not an earlier node'],
  ['input from itself', withNode(1, () => ({ inputs: [1] })), 'not an earlier node'],
  ['unknown op', withNode(1, () => ({ op: 'convolution' })), "unknown op 'convolution'"],
  ['too few inputs', withNode(3, (n) => ({ inputs: [n.inputs[0]!] })), 'add takes 2..Infinity inputs, has 1'],
  ['too many inputs', withNode(1, () => ({ inputs: [0, 0] })), 'conv takes 1..1 inputs, has 2'],
  ['missing attribute', withNode(1, (n) => ({ attrs: Object.fromEntries(Object.entries(n.attrs).filter(([k]) => k !== 'filters')) })), "attribute 'filters' missing"],
  ['unknown attribute', withNode(1, (n) => ({ attrs: { ...n.attrs, kernel: 3 } })), "attribute 'kernel' is not in the conv schema"],
  ['duplicate name', withNode(2, () => ({ name: 'conv_1' })), 'duplicate name'],
  ['input node with inputs', withNode(0, () => ({ inputs: [0] })), 'an input node takes no inputs'],
  ['output to a missing node', { ...valid(), outputs: [{ name: 'y', node: 9, span: valid().span }] }, 'missing node 9'],
  ['input entry at a block', { ...valid(), inputs: [{ name: 'x', node: 1, shape: [8, 8, 1] }] }, 'not an input node'],
];

for (const [what, graph, expected] of cases) {
  test(`reports ${what}`, () => {
    const problems = verifyIR(graph);
    assert.ok(problems.some((p) => p.includes(expected)), `expected "${expected}" in ${JSON.stringify(problems)}`);
  });
}

test.run();
