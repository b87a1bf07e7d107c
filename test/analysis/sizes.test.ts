import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validInputSizes } from '../../compiler/analysis/sizes.js';
import { TestGraph } from './graph-builder.js';

/** conv → three 2×2 pools: the sides must be multiples of 8. */
function threePools(): TestGraph {
  const t = new TestGraph();
  t.output('y', t.chain(t.input('x', [64, 64, 1]), [['conv', { filters: 2 }], ['maxpool'], ['maxpool'], ['maxpool']]));
  return t;
}

test('square: the nearest multiples of 8 below and above', () => {
  assert.equal(validInputSizes(threePools().graph(), 100), { input: 'x', requested: [100, 100], fits: false, below: [96, 96], above: [104, 104] });
  assert.equal(validInputSizes(threePools().graph(), 96), { input: 'x', requested: [96, 96], fits: true, below: [88, 88], above: [104, 104] });
});

test('per axis: each side moves to its own nearest multiple', () => {
  const found = validInputSizes(threePools().graph(), [100, 60]);
  assert.equal([found?.below, found?.above], [[96, 56], [104, 64]]);
});

/** Two valid-padding stages of a U-Net encoder: (3×3 valid conv ×2 → 2×2 pool) ×2. */
function validStages(): TestGraph {
  const t = new TestGraph();
  const conv = ['conv', { filters: 2, padding: 'valid' }] as const;
  t.output('y', t.chain(t.input('x', [64, 64, 1]), [conv, conv, ['maxpool'], conv, conv, ['maxpool']]));
  return t;
}

/** Independent rule: after each stage's two valid convs (−4) the size must be even and positive. */
function passesByHand(n: number): boolean {
  let size = n;
  for (let stage = 0; stage < 2; stage++) {
    size -= 4;
    if (size < 2 || size % 2 !== 0) return false;
    size /= 2;
  }
  return true;
}

test('valid padding: the solver agrees with the hand rule at every request from 1 to 60', () => {
  for (let n = 1; n <= 60; n++) {
    const found = validInputSizes(validStages().graph(), n, { maxDistance: 40 })!;
    const below = [...Array(n - 1).keys()].map((i) => n - 1 - i).find(passesByHand);
    const above = [...Array(40).keys()].map((i) => n + 1 + i).find(passesByHand);
    assert.is(found.fits, passesByHand(n), `fits ${n}`);
    assert.equal(found.below?.[0], below, `below ${n}`);
    assert.equal(found.above?.[0], above, `above ${n}`);
  }
});

test('a chosen input is resized while the others keep their shape', () => {
  const t = new TestGraph();
  const a = t.input('a', [16, 16, 1]);
  const b = t.input('b', [8, 8, 1]);
  t.output('y', t.add('concat', [t.add('maxpool', a), b]));
  assert.equal(validInputSizes(t.graph(), 17, { input: 'a' }), { input: 'a', requested: [17, 17], fits: false, below: [16, 16], above: null });
});

test('no size within reach, an unknown input or a vector input give nothing', () => {
  const t = new TestGraph();
  t.add('gauss', t.input('x', [8, 8, 1]), { filters: 3, bases: 2 });
  assert.equal(validInputSizes(t.graph(), 8, { maxDistance: 4 }), { input: 'x', requested: [8, 8], fits: false, below: null, above: null });
  assert.is(validInputSizes(t.graph(), 8, { input: 'nope' }), null);
  const v = new TestGraph();
  v.add('dense', v.input('v', [10]), { units: 2 });
  assert.is(validInputSizes(v.graph(), 8), null);
});

test.run();
