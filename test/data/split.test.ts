import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { proportionalQuotas, splitSamples } from '../../runtime/data/split.js';
import { throwsGnet } from './helpers.js';

/** 600 samples, unbalanced: class c has 40 + 20c members, interleaved. */
const classOf = Array.from({ length: 600 }, (_, i) => [0, 1, 1, 2, 2, 2, 3, 3, 3, 3][i % 10]);
const countByClass = (indices: Int32Array) => {
  const counts = [0, 0, 0, 0];
  for (const i of indices) counts[classOf[i]]++;
  return counts;
};

test('train and validation are disjoint, of the asked sizes, in storage order', () => {
  for (const request of [{ classOf }, {}]) {
    const split = splitSamples({ count: 600, validationSplit: 0.25, trainSize: 200, seed: 3, ...request });
    assert.is(split.validation.length, 150);
    assert.is(split.train.length, 200);
    const seen = new Set([...split.train, ...split.validation]);
    assert.is(seen.size, 350);
    for (const part of [split.train, split.validation]) assert.equal([...part], [...part].sort((a, b) => a - b));
  }
});

test('classification subsets are stratified: each class keeps its share', () => {
  const split = splitSamples({ count: 600, classOf, validationSplit: 0.1, trainSize: 100, seed: 9 });
  assert.is(split.strategy, 'stratified');
  assert.equal(countByClass(split.validation), [6, 12, 18, 24]);
  assert.equal(countByClass(split.train), [10, 20, 30, 40]);
});

test('without validationSplit and trainSize everything trains', () => {
  const split = splitSamples({ count: 600, classOf, seed: 0 });
  assert.equal([...split.train], Array.from({ length: 600 }, (_, i) => i));
  assert.is(split.validation.length, 0);
});

test('same seed, same split; another seed, another split', () => {
  const a = splitSamples({ count: 600, validationSplit: 0.2, trainSize: 50, seed: 1 });
  const b = splitSamples({ count: 600, validationSplit: 0.2, trainSize: 50, seed: 1 });
  const c = splitSamples({ count: 600, validationSplit: 0.2, trainSize: 50, seed: 2 });
  assert.equal([...a.train], [...b.train]);
  assert.equal([...a.validation], [...b.validation]);
  assert.is(a.strategy, 'random');
  assert.not.equal([...a.train], [...c.train]);
});

test('Hamilton quotas sum to k and each is its exact share rounded down or up', () => {
  const sizes = [7, 13, 1, 29, 50];
  for (const k of [0, 1, 17, 50, 100]) {
    const quotas = proportionalQuotas(sizes, k);
    assert.is(quotas.reduce((a, b) => a + b, 0), k);
    quotas.forEach((q, i) => {
      const exact = (sizes[i] * k) / 100;
      assert.ok(q === Math.floor(exact) || q === Math.ceil(exact), `class ${i}: ${q} vs ${exact}`);
    });
  }
});

test('impossible sizes: GN7008 saying what is available', () => {
  throwsGnet(() => splitSamples({ count: 600, validationSplit: 0.25, trainSize: 451, seed: 0 }), DATA_ERRORS.badOption, 'trainSize 451', '450', 'holding out 150');
  throwsGnet(() => splitSamples({ count: 600, trainSize: 0, seed: 0 }), DATA_ERRORS.badOption, 'trainSize 0');
  throwsGnet(() => splitSamples({ count: 600, validationSplit: 1, seed: 0 }), DATA_ERRORS.badOption, 'validationSplit');
  throwsGnet(() => splitSamples({ count: 600, validationSplit: -0.1, seed: 0 }), DATA_ERRORS.badOption, 'validationSplit');
});

test.run();
