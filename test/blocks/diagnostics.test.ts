/** Every GN03xx code a block reports, each firing with its exact message (and a hint where it matters). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Shape } from '../../compiler/ir/ir.js';
import { BLOCKS, type BlockKind } from '../../compiler/blocks/index.js';
import { attrsFor, recordingContext, type Args } from './harness.js';

interface Row {
  readonly kind: BlockKind;
  readonly args?: Args;
  readonly inputs: readonly Shape[];
  readonly code: string;
  readonly message: string;
  readonly help?: RegExp;
  /** Producers the diagnostic points at. */
  readonly points?: readonly number[];
}

const NAMES = ['e2 (maxpool)', 'd2 (upsample)', 'x (relu)'];

const ROWS: readonly Row[] = [
  {
    kind: 'add',
    inputs: [[16, 16, 32], [32, 32, 32]],
    code: 'GN0301',
    message: 'add needs identical shapes: e2 (maxpool) gives 16×16×32 but d2 (upsample) gives 32×32×32',
    help: /upsample/,
    points: [0, 1],
  },
  {
    kind: 'multiply',
    inputs: [[8, 8, 4], [8, 8, 4], [8, 8, 6]],
    code: 'GN0301',
    message: 'multiply needs identical shapes: e2 (maxpool) gives 8×8×4 but x (relu) gives 8×8×6',
    help: /conv\(C, size = 1\)/,
    points: [0, 2],
  },
  {
    kind: 'concat',
    inputs: [[16, 16, 32], [32, 32, 64]],
    code: 'GN0302',
    message: 'concat joins channels, so all other axes must match: e2 (maxpool) gives 16×16×32 but d2 (upsample) gives 32×32×64',
    help: /crop/,
    points: [0, 1],
  },
  {
    kind: 'conv',
    args: { filters: 8, size: 7, padding: 'valid' },
    inputs: [[5, 5, 3]],
    code: 'GN0303',
    message: 'kernel 7×7 is larger than the padded input 5×5 (valid padding)',
    help: /padding = same/,
  },
  {
    kind: 'maxpool',
    args: { size: 5, padding: 1 },
    inputs: [[4, 2, 3]],
    code: 'GN0303',
    message: 'kernel 5×5 is larger than the padded input 6×4 (padding 1)',
  },
  {
    kind: 'conv',
    args: { filters: 8, dilation: 3, padding: 'valid' },
    inputs: [[6, 6, 3]],
    code: 'GN0303',
    message: 'kernel 3×3 (dilated to 7×7) is larger than the padded input 6×6 (valid padding)',
  },
  {
    kind: 'maxpool',
    inputs: [[33, 32, 8]],
    code: 'GN0304',
    message: '2×2 windows with stride 2×2 do not tile the input 33×32 exactly (valid padding); input heights 32 or 34 would work',
    help: /round = floor/,
  },
  {
    kind: 'conv',
    args: { filters: 8, stride: 2 },
    inputs: [[33, 15, 3]],
    code: 'GN0304',
    message: 'stride 2×2 does not divide the input 33×15 (same padding); input heights 32 or 34 and widths 14 or 16 would work',
  },
  {
    kind: 'gauss',
    args: { filters: 8, size: 5, stride: 3, padding: 'valid' },
    inputs: [[21, 20, 3]],
    code: 'GN0304',
    message: '5×5 windows with stride 3×3 do not tile the input 21×20 exactly (valid padding); input heights 20 or 23 would work',
  },
  {
    kind: 'conv',
    args: { filters: 8 },
    inputs: [[120]],
    code: 'GN0305',
    message: 'conv expects a feature map H×W×C, got a vector of 120',
    help: /dense.*flatten/,
  },
  {
    kind: 'global_avgpool',
    inputs: [[64]],
    code: 'GN0305',
    message: 'global_avgpool expects a feature map H×W×C, got a vector of 64',
    help: /already a vector/,
  },
  {
    kind: 'crop',
    inputs: [[8, 8, 4], [64]],
    code: 'GN0305',
    message: 'crop needs a feature map H×W×C as like, got a vector of 64',
    points: [1],
  },
  {
    kind: 'conv',
    args: { filters: 10, groups: 4 },
    inputs: [[8, 8, 16]],
    code: 'GN0306',
    message: 'groups 4 does not divide the 10 filters',
  },
  {
    kind: 'conv',
    args: { filters: 8, groups: 3 },
    inputs: [[8, 8, 16]],
    code: 'GN0306',
    message: 'groups 3 does not divide the 16 input channels nor the 8 filters',
  },
  {
    kind: 'conv_transpose',
    args: { filters: 4, size: 3, stride: 1, padding: 3 },
    inputs: [[2, 2, 8]],
    code: 'GN0307',
    message: 'conv_transpose with padding 3 leaves no output: 2×2 → -2×-2',
  },
  {
    kind: 'gauss',
    args: { filters: 16, size: 6 },
    inputs: [[28, 28, 1]],
    code: 'GN0310',
    message: 'gauss kernel size must be odd, got 6×6',
    help: /^use size = 5 or size = 7$/,
  },
  {
    kind: 'gauss',
    args: { filters: 16, size: [6, 7] },
    inputs: [[28, 28, 1]],
    code: 'GN0310',
    message: 'gauss kernel size must be odd, got 6×7',
    help: /^use size = \[5, 7\] or size = 7$/,
  },
  {
    kind: 'gauss',
    args: { filters: 30, bases: 4 },
    inputs: [[28, 28, 1]],
    code: 'GN0311',
    message: 'gauss filters 30 is not divisible by bases 4',
    help: /^use filters = 28 or 32, or bases = 3 or 5$/,
  },
  {
    kind: 'fre',
    args: { count: 20 },
    inputs: [[8, 8, 16]],
    code: 'GN0312',
    message: 'fre count 20 is larger than the 16 channels of its input',
  },
  {
    kind: 'crop',
    args: { size: [40, 30] },
    inputs: [[32, 32, 8]],
    code: 'GN0313',
    message: 'crop to 40×30 is larger than the input 32×32',
  },
  {
    kind: 'crop',
    inputs: [[32, 32, 8], [40, 40, 8]],
    code: 'GN0313',
    message: 'crop to the size of d2 (upsample) (40×40) is larger than the input 32×32',
    points: [0, 1],
  },
  {
    kind: 'crop',
    inputs: [[32, 32, 8]],
    code: 'GN0314',
    message: 'crop needs a target: like = <tensor> or size = [height, width]',
  },
  {
    kind: 'crop',
    args: { size: 4 },
    inputs: [[32, 32, 8], [16, 16, 8]],
    code: 'GN0314',
    message: 'crop takes like or size, not both',
  },
];

for (const row of ROWS) {
  test(`${row.code}: ${row.message}`, () => {
    const ctx = recordingContext(NAMES.slice(0, row.inputs.length));
    const out = BLOCKS[row.kind].shape(row.inputs, attrsFor(row.kind, row.args), ctx);
    assert.is(out, null, 'the shape is unknown after an error');
    assert.equal(
      ctx.reported.map((r) => [r.code, r.message]),
      [[row.code, row.message]],
    );
    const [reported] = ctx.reported;
    if (row.help) assert.match(reported!.help ?? '', row.help);
    if (row.points) assert.equal(reported!.inputs, row.points);
  });
}

test('independent problems are all reported at once', () => {
  const ctx = recordingContext(['x']);
  BLOCKS.gauss.shape([[9, 9, 3]], attrsFor('gauss', { filters: 30, bases: 4, size: 4, padding: 'valid', stride: 2 }), ctx);
  assert.equal(
    ctx.reported.map((r) => r.code),
    ['GN0310', 'GN0311', 'GN0304'],
  );
});

test('GN0304 notes show the arithmetic that leaves a remainder', () => {
  const ctx = recordingContext(['x']);
  BLOCKS.maxpool.shape([[33, 32, 8]], attrsFor('maxpool'), ctx);
  BLOCKS.conv.shape([[21, 20, 3]], attrsFor('conv', { filters: 1, size: 5, stride: 3, padding: 1 }), ctx);
  assert.equal(
    ctx.reported.map((r) => r.notes),
    [['height: (33 + 0 − 2) / 2 + 1 = 16.5'], ['width: (20 + 2 − 5) / 3 + 1 = 6.67']],
  );
});

test.run();
