/** The window arithmetic every pass shares, checked against a brute-force count of window positions. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { convOutputSize, effectiveKernel, nearestValidInputs, product, samePadding, transposeOutputSize } from '../../compiler/blocks/arith.js';
import { argValueProblem, attrsWithDefaults } from '../../compiler/blocks/arg-values.js';
import { BLOCKS } from '../../compiler/blocks/index.js';
import { closestName, editDistance } from '../../compiler/util/closest.js';

/** Windows that fit in [−before, size + after), stepping by stride: the definition, counted. */
function countWindows(size: number, extent: number, stride: number, before: number, after: number): number {
  let n = 0;
  for (let start = -before; start + extent <= size + after; start += stride) n++;
  return n;
}

test('small helpers', () => {
  assert.is(product([2, 3, 4]), 24);
  assert.is(product([]), 1);
  assert.is(effectiveKernel(3, 2), 5);
  assert.equal(samePadding(9, 4, 1), [1, 2]);
  assert.equal(samePadding(224, 7, 2), [2, 3]);
  assert.equal(samePadding(8, 1, 2), [0, 0]);
});

test('convOutputSize equals counting windows over the padding it reports (floor and explicit)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), (size, k, s, d, p) => {
      const out = convOutputSize(size, k, s, p, d, 'floor');
      const extent = effectiveKernel(k, d);
      if (!out.fits) return size + 2 * p < extent;
      return out.size === countWindows(size, extent, s, p, p) && out.padding[0] === p && countWindows(size, extent, s, ...out.padding) === out.size;
    }),
  );
});

test("'same' output is ceil(in / stride) and its padding lets exactly that many windows fit", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }), (size, k, s, d) => {
      const out = convOutputSize(size, k, s, 'same', d, 'floor');
      return out.size === Math.ceil(size / s) && countWindows(size, effectiveKernel(k, d), s, ...out.padding) === out.size && out.exact === (size % s === 0);
    }),
  );
});

test('ceil mode adds a window for a leftover unless it would start in the trailing padding', () => {
  assert.is(convOutputSize(33, 2, 2, 'valid', 1, 'ceil').size, 17);
  assert.equal(convOutputSize(33, 2, 2, 'valid', 1, 'ceil').padding, [0, 1]);
  assert.is(convOutputSize(5, 2, 2, 1, 1, 'ceil').size, 3);
  assert.is(convOutputSize(32, 2, 2, 'valid', 1, 'ceil').size, 16);
});

test('nearestValidInputs finds the nearest sizes that tile exactly, at or below and at or above', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<'same' | 'valid' | number>('same', 'valid', 1, 2), (size, k, s, pad) => {
      const works = (n: number) => {
        const o = convOutputSize(n, k, s, pad);
        return o.fits && o.exact;
      };
      const candidates = Array.from({ length: size + 20 }, (_, i) => i + 1);
      const below = candidates.filter((n) => n <= size && works(n)).at(-1) ?? null;
      const above = candidates.find((n) => n >= size && works(n));
      assert.equal(nearestValidInputs(size, k, s, pad), [below, above]);
    }),
  );
  assert.equal(nearestValidInputs(33, 2, 2, 'valid'), [32, 34]);
  assert.equal(nearestValidInputs(5, 7, 1, 'valid'), [null, 7]);
});

test('transposed output sizes', () => {
  assert.is(transposeOutputSize(5, 3, 2, 'same'), 10);
  assert.is(transposeOutputSize(5, 3, 2, 'valid'), 11);
  assert.is(transposeOutputSize(8, 4, 2, 1), 16);
});

test('argument values: stored form, type and bounds problems, defaults', () => {
  const size = BLOCKS.conv.args['size']!;
  assert.is(argValueProblem(size, [3, 0]), 'expected at least 1, got [3,0]');
  assert.is(argValueProblem(size, [3, 3, 3]), undefined, 'a volume kernel');
  assert.ok(argValueProblem(size, [3, 3, 3, 3])?.startsWith('expected an integer or a list per axis'), 'four axes');
  assert.is(argValueProblem(BLOCKS.conv.args['padding']!, [1, 0, 2]), undefined);
  assert.is(argValueProblem(BLOCKS.gauss.args['order']!, 5), 'expected at most 4, got 5');
  assert.is(argValueProblem(BLOCKS.gauss.args['mix']!, 'mixed'), 'expected one of full, separated, got "mixed"');
  assert.is(argValueProblem(BLOCKS.conv.args['filters']!, null), 'expected a value, got nothing');
  const { attrs, problems } = attrsWithDefaults(BLOCKS.conv, { filters: 8, size: 5, strides: 2 });
  assert.equal(problems, ["conv has no attribute argument 'strides'"]);
  assert.is(attrs['size'], 5, 'one number stands for every axis: the input decides how many');
  assert.is(attrs['padding'], 'same');
  assert.equal(attrsWithDefaults(BLOCKS.dense, {}).problems, ["dense needs argument 'units'"]);
});

test('closestName: typos within a third of the length, case-insensitive, ties to the first', () => {
  assert.is(editDistance('desne', 'dense'), 1);
  assert.is(closestName('paddng', ['padding', 'stride']), 'padding');
  assert.is(closestName('SAME', ['same', 'valid']), 'same');
  assert.is(closestName('xyz', ['same', 'valid']), undefined);
  assert.is(closestName('ab', ['ac', 'ad']), 'ac');
});

test.run();
