/**
 * The gauss layer against docs/gauss-layer.md: §4 parameter counts (recomputed here from the paper's
 * formulas, not from weight shapes), §5 initialisers, and the lowering chosen by the cost model.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gaussCost, gaussLowering } from '../../compiler/blocks/gauss-lowering.js';
import { attrsFor, runBlock, runChain, type Args } from './harness.js';

/** docs/gauss-layer.md §4, with Nk = (K+1)(K+2)/2 and 5 Gaussian numbers per kernel (4 when isotropic). */
function paperCount(fIn: number, args: { filters: number; order: number; bases: number; mix: 'full' | 'separated'; bias?: boolean }): number {
  const nk = ((args.order + 1) * (args.order + 2)) / 2;
  const gaussian = 5 * args.bases * nk;
  const mixing = args.mix === 'full' ? fIn * args.filters * nk : nk * (args.bases * fIn + args.filters);
  return gaussian + mixing + (args.bias ? args.filters : 0);
}

const CASES: readonly { args: Parameters<typeof paperCount>[1] & Args; input: [number, number, number]; expected?: number }[] = [
  // The reference example network's two layers (docs/gauss-layer.md §4): 400 and 5 520.
  { args: { filters: 16, size: 7, bases: 4, order: 3, mix: 'separated' }, input: [28, 28, 1], expected: 400 },
  { args: { filters: 32, size: 7, bases: 8, order: 3, mix: 'full' }, input: [14, 14, 16], expected: 5520 },
  { args: { filters: 12, size: 5, bases: 3, order: 4, mix: 'separated', bias: true }, input: [9, 9, 5] },
  { args: { filters: 8, size: 3, bases: 1, order: 0, mix: 'full', bias: true }, input: [6, 6, 2] },
];

for (const c of CASES) {
  test(`gauss params ${JSON.stringify(c.args)} from ${c.input[2]} channels = §4 formula`, () => {
    const run = runBlock('gauss', c.args, [c.input]);
    assert.equal(run.out, [c.input[0], c.input[1], c.args.filters]);
    assert.is(run.trainable, paperCount(c.input[2], c.args));
    if (c.expected !== undefined) assert.is(run.trainable, c.expected);
    assert.is(run.nonTrainable, 0);
  });
}

test('frozen σ moves to non-trainable; isotropic σ has one number per kernel', () => {
  const run = runBlock('gauss', { filters: 8, bases: 2, isotropic: true, train_sigma: false }, [[16, 16, 4]]);
  const nk = 6;
  assert.is(run.nonTrainable, 2 * nk * 1);
  assert.is(run.trainable, 2 * nk * 2 + 2 * nk * 1 + 2 * 4 * 4 * nk);
});

test('initialisers follow §5 and σ is clamped at 0.2', () => {
  const byName = (args: Args, fIn: number) => Object.fromEntries(runBlock('gauss', args, [[8, 8, fIn]]).weights.map((w) => [w.name, w]));
  const full = byName({ filters: 32, bases: 8, order: 3 }, 16);
  assert.equal(full['sigma']!.init, { kind: 'uniform', min: 0.5, max: 2 });
  assert.is(full['sigma']!.minValue, 0.2);
  assert.equal(full['mu']!.init, { kind: 'uniform', min: -1, max: 1 });
  assert.equal(full['theta']!.init, { kind: 'uniform', min: -Math.PI, max: Math.PI });
  assert.equal(full['omega']!.init, { kind: 'normal', std: Math.sqrt(2) / (16 + 32) });
  assert.equal(full['omega']!.shape, [8, 16, 4, 10]);
  const separated = byName({ filters: 16, bases: 4, order: 3, mix: 'separated', sigma_init: 1.5, theta_init: 0 }, 3);
  assert.equal(separated['sigma']!.init, { kind: 'constant', value: 1.5 });
  assert.equal(separated['theta']!.init, { kind: 'constant', value: 0 });
  assert.equal(separated['beta']!.init, { kind: 'normal', std: Math.sqrt(2) / (3 + 10 * 4) });
  assert.equal(separated['lambda']!.init, { kind: 'normal', std: Math.sqrt(2) / (16 + 10 * 4) });
  assert.equal(separated['lambda']!.shape, [4, 10, 4]);
});

test("mix_init = uniform draws ω, β and λ from U(−1, 1) (the ICIP 2022 code), leaving σ, μ, θ as they were", () => {
  const byName = (args: Args) => Object.fromEntries(runBlock('gauss', args, [[8, 8, 4]]).weights.map((w) => [w.name, w.init]));
  const uniform = { kind: 'uniform', min: -1, max: 1 };
  const full = byName({ filters: 8, bases: 2, order: 3, mix_init: 'uniform' });
  assert.equal(full['omega'], uniform);
  const separated = byName({ filters: 8, bases: 2, order: 3, mix: 'separated', mix_init: 'uniform' });
  assert.equal([separated['beta'], separated['lambda']], [uniform, uniform]);
  assert.equal(separated['sigma'], byName({ filters: 8, bases: 2, order: 3, mix: 'separated' })['sigma']);
  assert.equal(byName({ filters: 8, bases: 2, order: 3, mix_init: 'normal' })['omega'], { kind: 'normal', std: Math.SQRT2 / (4 + 8) });
});

test('full mix: combined when one conv is cheaper, basis-first when the basis is small', () => {
  const many = attrsFor('gauss', { filters: 32, bases: 8, order: 3 });
  assert.equal(gaussLowering([14, 14, 16], many), { lowering: 'combined', macs: 14 * 14 * 49 * 16 * 32 });
  assert.is(gaussCost([14, 14, 16], many, 'basis-first'), 14 * 14 * (49 * 16 * 8 * 10 + 16 * 10 * 32));
  const few = attrsFor('gauss', { filters: 64, order: 0 });
  assert.equal(gaussLowering([8, 8, 16], few), { lowering: 'basis-first', macs: 64 * (49 * 16 + 16 * 64) });
});

test('the choice weighs depthwise multiply-adds (slow per MAC) but reports plain MACs', () => {
  // 16 → 16, B = 2, order 2 (Nk = 6): basis-first has fewer MACs (4 800 + 1 536 < 6 400 per pixel)…
  const attrs = attrsFor('gauss', { filters: 16, size: 5, bases: 2, order: 2 });
  assert.ok(gaussCost([8, 8, 16], attrs, 'basis-first') < gaussCost([8, 8, 16], attrs, 'combined'));
  // …but its depthwise part, weighted ×8, makes the one dense convolution the faster lowering.
  assert.equal(gaussLowering([8, 8, 16], attrs), { lowering: 'combined', macs: 64 * 25 * 16 * 16 });
});

test('separated mix lowers to 1×1 → depthwise → 1×1, the first mix at input resolution', () => {
  const attrs = attrsFor('gauss', { filters: 16, bases: 4, order: 3, mix: 'separated', stride: 2 });
  const expected = 28 * 28 * 32 * 4 * 10 + 14 * 14 * (49 * 4 * 10 + 10 * 16);
  assert.equal(gaussLowering([28, 28, 32], attrs), { lowering: 'separated', macs: expected });
  assert.is(runBlock('gauss', { filters: 16, bases: 4, order: 3, mix: 'separated', stride: 2 }, [[28, 28, 32]]).macs, expected);
});

test('a separated mix on a one-channel image folds into one dense convolution', () => {
  // 7·7·1·16 = 784 MACs per output pixel against 40 + 8·(7·7·40) + 10·16 weighted for the separated path.
  const attrs = attrsFor('gauss', { filters: 16, bases: 4, order: 3, mix: 'separated', stride: 2 });
  assert.equal(gaussLowering([28, 28, 1], attrs), { lowering: 'combined', macs: 14 * 14 * 49 * 16 });
});

test('describe names the lowering and the compression against the conv it replaces', () => {
  const run = runBlock('gauss', { filters: 32, bases: 8, order: 3 }, [[14, 14, 16]]);
  // 7·7·16·32 = 25 088 against 5 520.
  assert.is(run.describe, 'lowering combined, 4.5× fewer params than the 7×7 conv it replaces (25 088)');
});

test('the reference example network holds 6 346 trainable and 96 non-trainable parameters (docs/gauss-layer.md §8)', () => {
  const total = runChain([28, 28, 1], [
    { kind: 'gauss', args: { filters: 16, bases: 4, order: 3, mix: 'separated' } },
    { kind: 'batchnorm' },
    { kind: 'relu' },
    { kind: 'maxpool' },
    { kind: 'gauss', args: { filters: 32, bases: 8, order: 3 } },
    { kind: 'batchnorm' },
    { kind: 'relu' },
    { kind: 'global_avgpool' },
    { kind: 'dense', args: { units: 10 } },
  ]);
  assert.equal(total.out, [10]);
  assert.is(total.trainable, 6346);
  assert.is(total.nonTrainable, 96);
});

test.run();
