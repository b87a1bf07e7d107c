import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gaussConv2d, gaussWeightShapes, GnetError, type GaussConfig } from '../../runtime/index.js';

await tf.setBackend('cpu');

/** docs/gauss-layer.md §4, written out independently of the runtime. */
function formula(fIn: number, fOut: number, bases: number, order: number, mix: 'full' | 'separated', bias: boolean, isotropic: boolean): number {
  const nk = ((order + 1) * (order + 2)) / 2;
  // σ holds one number per kernel instead of two when isotropic: 4 instead of 5 per kernel.
  const gaussian = (isotropic ? 4 : 5) * bases * nk;
  const mixing = mix === 'full' ? fIn * fOut * nk : nk * (bases * fIn + fOut);
  return gaussian + mixing + (bias ? fOut : 0);
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

test('weight sizes add up to the §4 formulas', () => {
  const cases: [number, number, number, number, 'full' | 'separated', boolean, boolean][] = [
    [1, 16, 4, 3, 'separated', false, false],
    [16, 32, 8, 3, 'full', false, false],
    [3, 12, 3, 0, 'full', true, false],
    [5, 6, 2, 4, 'separated', true, false],
    [7, 9, 1, 2, 'full', false, true],
    [4, 8, 4, 1, 'separated', true, true],
  ];
  for (const [fIn, fOut, bases, order, mix, bias, isotropic] of cases) {
    const shapes = gaussWeightShapes({ order, bases, mix, isotropic, bias }, fIn, fOut);
    const total = Object.values(shapes).reduce((sum, shape) => sum + size(shape), 0);
    assert.is(total, formula(fIn, fOut, bases, order, mix, bias, isotropic), JSON.stringify({ fIn, fOut, bases, order, mix, bias, isotropic }));
  }
});

test('the reference example layers: 400 (separated 1 → 16) and 5520 (full 16 → 32)', () => {
  const count = (fIn: number, fOut: number, bases: number, mix: 'full' | 'separated'): number =>
    Object.values(gaussWeightShapes({ order: 3, bases, mix, isotropic: false, bias: false }, fIn, fOut)).reduce((s, shape) => s + size(shape), 0);
  assert.is(count(1, 16, 4, 'separated'), 200 + 200);
  assert.is(count(16, 32, 8, 'full'), 400 + 5120);
});

test('gaussConv2d accepts exactly the weights gaussWeightShapes describes', () => {
  const config: GaussConfig = { order: 1, bases: 2, size: [3, 3], stride: [1, 1], padding: 'same', mix: 'separated', isotropic: true, lowering: 'separated' };
  const shapes = gaussWeightShapes({ ...config, bias: true }, 3, 4);
  const weights = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, tf.ones(shape)]));
  const y = gaussConv2d(tf.ones([1, 4, 4, 3]), weights as never, config);
  assert.equal(y.shape, [1, 4, 4, 4]);
});

test('bases must divide the filters (GN9012)', () => {
  try {
    gaussWeightShapes({ order: 1, bases: 3, mix: 'full', isotropic: false, bias: false }, 2, 8);
    assert.unreachable();
  } catch (e) {
    assert.ok(e instanceof GnetError && e.code === 'GN9012');
  }
});

test.run();
