/**
 * The graph view's layout (web/playground/graph-layout.ts): skip brackets never share a lane where
 * they overlap, use no more lanes than the most brackets over one box, and the boxes stack in order.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GraphBox } from '../../compiler/report/graph.js';
import { assignLanes, BOX_HEIGHT, layoutGraph } from '../../web/playground/graph-layout.js';

const span = { file: 'f.gnet', start: 0, end: 0 };
/** A chain of `n` boxes, each reading the previous, plus the given skips (from → to). */
function chain(n: number, skips: readonly [number, number][]): GraphBox[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `b${i}`,
    label: `b${i}`,
    ops: 'conv',
    kind: 'frame' as const,
    shape: [8, 8, i + 1],
    span,
    nodes: 1,
    inputs: [...(i > 0 ? [{ from: i - 1, shape: [8, 8, i] }] : []), ...skips.filter(([, to]) => to === i).map(([from]) => ({ from, shape: [8, 8, from + 1] }))],
  }));
}

const intervals = fc.array(fc.tuple(fc.nat(30), fc.integer({ min: 2, max: 12 })).map(([from, length]) => ({ from, to: from + length })), { maxLength: 25 });

test('brackets in one lane never overlap, and the lanes are as few as the most brackets over one box', () => {
  fc.assert(fc.property(intervals, (skips) => {
    const lanes = assignLanes(skips);
    for (let i = 0; i < skips.length; i++) {
      for (let j = i + 1; j < skips.length; j++) {
        if (lanes[i] !== lanes[j]) continue;
        const [a, b] = [skips[i]!, skips[j]!];
        assert.ok(a.to < b.from || b.to < a.from, `lane ${lanes[i]}: ${a.from}–${a.to} and ${b.from}–${b.to} overlap`);
      }
    }
    const most = Math.max(0, ...Array.from({ length: 50 }, (_, box) => skips.filter((s) => s.from <= box && box <= s.to).length));
    assert.is(Math.max(0, ...lanes.map((l) => l + 1)), most);
  }));
});

test('boxes stack in order; the next box gets an arrow with the shape, a skip a bracket on the right', () => {
  const layout = layoutGraph(chain(5, [[1, 3]]), 500);
  assert.equal(layout.boxes.map((b) => b.y), layout.boxes.map((_, i) => layout.boxes[0]!.y + i * (layout.boxes[1]!.y - layout.boxes[0]!.y)));
  assert.ok(layout.boxes[1]!.y >= layout.boxes[0]!.y + BOX_HEIGHT);
  const next = layout.edges.filter((e) => e.kind === 'next');
  assert.equal(next.map((e) => [e.from, e.to, e.label]), [[0, 1, '8×8×1'], [1, 2, '8×8×2'], [2, 3, '8×8×3'], [3, 4, '8×8×4']]);
  const [skip] = layout.edges.filter((e) => e.kind === 'skip');
  assert.equal([skip!.from, skip!.to, skip!.label, skip!.lane], [1, 3, '8×8×2', 0]);
  const right = layout.boxes[0]!.x + layout.boxes[0]!.width;
  assert.ok(skip!.labelAt.x > right, 'the bracket runs right of the boxes');
  assert.ok(layout.width <= 500 && layout.height === layout.boxes.at(-1)!.y + BOX_HEIGHT + layout.boxes[0]!.y);
});

test('a box that does not read the box above it gets no arrow from it', () => {
  // b2 reads only b0 (a second branch of b0): b1 → b2 has no arrow, b0 → b2 is a bracket.
  const boxes = chain(3, []);
  const branched = boxes.map((b, i) => (i === 2 ? { ...b, inputs: [{ from: 0, shape: [8, 8, 1] }] } : b));
  const layout = layoutGraph(branched, 400);
  assert.equal(layout.edges.map((e) => [e.kind, e.from, e.to]), [['next', 0, 1], ['skip', 0, 2]]);
});

test.run();
