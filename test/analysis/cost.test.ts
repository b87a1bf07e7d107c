import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activationBytes, nodeMacs, peakLiveBytes } from '../../compiler/analysis/cost.js';
import { inferShapes } from '../../compiler/analysis/shapes.js';
import { TestGraph } from './graph-builder.js';

const shapesOf = (t: TestGraph) => inferShapes(t.graph(), (d) => assert.unreachable(d.message));

test('multiply-adds: a 3×3 conv sums k·k·C_in products per output value, dense in·units', () => {
  const t = new TestGraph();
  const conv = t.add('conv', t.input('x', [8, 8, 3]), { filters: 4 });
  const dense = t.add('dense', t.add('global_avgpool', conv), { units: 10 });
  const macs = nodeMacs(t.graph(), shapesOf(t));
  assert.is(macs[conv], 8 * 8 * 4 * (3 * 3 * 3));
  assert.is(macs[dense], 4 * 10);
});

test('activation bytes: float32 outputs of every node, inputs included, scaled by the batch', () => {
  const t = new TestGraph();
  t.add('maxpool', t.add('conv', t.input('x', [8, 8, 3]), { filters: 4 }), { size: 2 });
  assert.equal(activationBytes(shapesOf(t), 16), [8 * 8 * 3 * 4 * 16, 8 * 8 * 4 * 4 * 16, 4 * 4 * 4 * 4 * 16]);
});

test('peak live memory: a chain holds two values at a time, a skip keeps its source alive', () => {
  const size = 8 * 8 * 2 * 4;
  const chain = new TestGraph();
  chain.output('y', chain.chain(chain.input('x', [8, 8, 2]), [['relu'], ['relu'], ['relu']]));
  assert.is(peakLiveBytes(chain.graph(), activationBytes(shapesOf(chain), 1)), 2 * size);

  const skip = new TestGraph();
  const x = skip.input('x', [8, 8, 2]);
  const body = skip.chain(x, [['relu'], ['relu']]);
  skip.output('y', skip.add('add', [body, x]));
  // At the add: x, the second relu and the sum (the first relu was freed after its consumer).
  assert.is(peakLiveBytes(skip.graph(), activationBytes(shapesOf(skip), 1)), 3 * size);
});

test('outputs stay live to the end', () => {
  const t = new TestGraph();
  const x = t.input('x', [4, 4, 1]);
  const early = t.add('relu', x);
  t.output('early', early).output('late', t.chain(early, [['relu'], ['relu']]));
  // Before the last relu: the output `early`, its input relu and the result (x was freed).
  assert.is(peakLiveBytes(t.graph(), activationBytes(shapesOf(t), 1)), 3 * 4 * 4 * 4);
});

test.run();
