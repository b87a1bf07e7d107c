import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dropout, featureRandomEnhance, GnetError } from '../../runtime/index.js';

await tf.setBackend('cpu');

const state = { epoch: 0, seed: 11, step: 0 };
const data = (t: tf.Tensor): number[] => Array.from(t.dataSync());

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof GnetError ? e.code : 'other';
  }
  return undefined;
}

test('dropout: identity at inference and at rate 0', () => {
  const x = tf.ones([4, 5]);
  assert.is(dropout(x, 0.5, false, state, 'd1'), x);
  assert.is(dropout(x, 0, true, state, 'd1'), x);
});

test('dropout: inverted scaling, about `rate` dropped, reproducible from (seed, key, epoch, step)', () => {
  const x = tf.ones([100, 100]);
  const a = data(dropout(x, 0.3, true, state, 'd1'));
  assert.ok(a.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  const dropped = a.filter((v) => v === 0).length / a.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.03, `dropped ${dropped}`);
  assert.equal(data(dropout(x, 0.3, true, state, 'd1')), a);
  assert.not.equal(data(dropout(x, 0.3, true, { ...state, step: 1 }, 'd1')), a);
  assert.not.equal(data(dropout(x, 0.3, true, state, 'd2')), a);
  assert.is(errorCode(() => dropout(x, 1, true, state, 'd1')), 'GN9020');
});

/** Channels of a [1, 2, 2, C] ones map that fre scaled by its factor. */
function enhanced(channels: number, count: number, epoch: number, key: string, step = 0): number[] {
  const y = data(featureRandomEnhance(tf.ones([1, 2, 2, channels]), count, 3, true, { epoch, seed: 5, step } as never, key));
  const scaled = Array.from({ length: channels }, (_, c) => c).filter((c) => y[c] === 3);
  // Every pixel agrees: the choice is per channel, not per position.
  for (let i = 0; i < y.length; i++) assert.is(y[i], scaled.includes(i % channels) ? 3 : 1);
  return scaled;
}

test('fre: exactly `count` channels multiplied by the factor while training', () => {
  for (const count of [1, 3, 8]) assert.is(enhanced(8, count, 0, 'f1').length, count);
});

test('fre: same channels for a whole epoch, redrawn across epochs, per node key', () => {
  const first = enhanced(16, 4, 0, 'f1');
  assert.equal(enhanced(16, 4, 0, 'f1', 57), first);
  const epochs = [1, 2, 3, 4].map((epoch) => enhanced(16, 4, epoch, 'f1').join());
  assert.ok(epochs.some((choice) => choice !== first.join()));
  const keys = ['f2', 'f3', 'f4'].map((key) => enhanced(16, 4, 0, key).join());
  assert.ok(keys.some((choice) => choice !== first.join()));
});

test('fre: identity at inference; count beyond the channels is GN9021', () => {
  const x = tf.ones([1, 2, 2, 4]);
  assert.is(featureRandomEnhance(x, 2, 3, false, state, 'f1'), x);
  assert.is(errorCode(() => featureRandomEnhance(x, 5, 3, true, state, 'f1')), 'GN9021');
});

test.run();
