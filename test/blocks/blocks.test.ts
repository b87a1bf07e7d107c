/**
 * Table of (block, arguments as written, input shapes) → (output shape, trainable, non-trainable,
 * MACs, receptive-field rule, detail). Expected numbers are written as the arithmetic that derives
 * them, or are published figures (LeNet, AlexNet, ResNet, docs/gauss-layer.md §4).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Shape } from '../../compiler/ir/ir.js';
import type { RFRule } from '../../compiler/blocks/block.js';
import type { BlockKind } from '../../compiler/blocks/index.js';
import { runBlock, runChain, type Args } from './harness.js';

interface Row {
  readonly kind: BlockKind;
  readonly args?: Args;
  readonly inputs: readonly Shape[];
  readonly out: Shape;
  /** Omitted means 0. */
  readonly trainable?: number;
  readonly nonTrainable?: number;
  readonly macs?: number;
  readonly rf?: RFRule;
  readonly describe?: string;
}

const window = (k: number, s: number, padBefore: number, d = 1): RFRule => ({ kind: 'window', kernel: [k, k], stride: [s, s], dilation: [d, d], padBefore: [padBefore, padBefore] });

const ROWS: readonly Row[] = [
  // conv
  { kind: 'conv', args: { filters: 32 }, inputs: [[32, 32, 16]], out: [32, 32, 32], trainable: 3 * 3 * 16 * 32 + 32, macs: 32 * 32 * 32 * 3 * 3 * 16, rf: window(3, 1, 1) },
  { kind: 'conv', args: { filters: 6, size: 5, padding: 'valid' }, inputs: [[32, 32, 1]], out: [28, 28, 6], trainable: 156, macs: 28 * 28 * 6 * 25, rf: window(5, 1, 0) },
  // AlexNet conv1 (torchvision): (224 + 4 − 11) / 4 + 1 = 55.25, floored by PyTorch.
  { kind: 'conv', args: { filters: 64, size: 11, stride: 4, padding: 2, round: 'floor' }, inputs: [[224, 224, 3]], out: [55, 55, 64], trainable: 23296, macs: 55 * 55 * 64 * 11 * 11 * 3 },
  // ResNet conv1: 9 408 weights, 118 013 952 multiply-adds.
  { kind: 'conv', args: { filters: 64, size: 7, stride: 2, bias: false }, inputs: [[224, 224, 3]], out: [112, 112, 64], trainable: 9408, macs: 118_013_952, rf: window(7, 2, 2) },
  { kind: 'conv', args: { filters: 8, dilation: 2, padding: 'valid' }, inputs: [[10, 10, 4]], out: [6, 6, 8], trainable: 3 * 3 * 4 * 8 + 8, macs: 6 * 6 * 8 * 9 * 4, rf: window(3, 1, 0, 2) },
  { kind: 'conv', args: { filters: 32, groups: 4 }, inputs: [[8, 8, 16]], out: [8, 8, 32], trainable: 3 * 3 * 4 * 32 + 32, macs: 8 * 8 * 32 * 9 * 4 },
  { kind: 'conv', args: { filters: 4, stride: 2, round: 'floor' }, inputs: [[33, 33, 2]], out: [17, 17, 4], trainable: 3 * 3 * 2 * 4 + 4, macs: 17 * 17 * 4 * 9 * 2 },
  { kind: 'conv', args: { filters: 4, padding: [1, 0] }, inputs: [[8, 8, 2]], out: [8, 6, 4], trainable: 76, macs: 8 * 6 * 4 * 9 * 2 },
  // tfjs has no stride-with-dilation; the runtime dilates the kernel instead. Same: ceil(16 / 2).
  { kind: 'conv', args: { filters: 2, stride: 2, dilation: 2 }, inputs: [[16, 16, 1]], out: [8, 8, 2], trainable: 20, macs: 8 * 8 * 2 * 9 },
  // 'same' with an even kernel: total padding 3, the smaller half (1) before.
  { kind: 'conv', args: { filters: 1, size: 4, bias: false }, inputs: [[9, 9, 1]], out: [9, 9, 1], trainable: 16, macs: 81 * 16, rf: window(4, 1, 1) },
  // depthwise
  { kind: 'depthwise', args: { multiplier: 2 }, inputs: [[16, 16, 8]], out: [16, 16, 16], trainable: 3 * 3 * 8 * 2 + 16, macs: 16 * 16 * 16 * 9 },
  { kind: 'depthwise', args: { stride: 2, bias: false }, inputs: [[112, 112, 32]], out: [56, 56, 32], trainable: 288, macs: 56 * 56 * 32 * 9, rf: window(3, 2, 0) },
  // conv_transpose
  { kind: 'conv_transpose', args: { filters: 256 }, inputs: [[28, 28, 512]], out: [56, 56, 256], trainable: 2 * 2 * 512 * 256 + 256, macs: 28 * 28 * 512 * 4 * 256 },
  { kind: 'conv_transpose', args: { filters: 2, size: 3, stride: 2, padding: 'valid' }, inputs: [[5, 5, 4]], out: [11, 11, 2], trainable: 74, macs: 25 * 4 * 9 * 2 },
  {
    kind: 'conv_transpose',
    args: { filters: 2, size: 3, stride: 2 },
    inputs: [[5, 5, 4]],
    out: [10, 10, 2],
    trainable: 74,
    macs: 25 * 4 * 9 * 2,
    rf: { kind: 'transpose', kernel: [3, 3], stride: [2, 2], padBefore: [0, 0] },
  },
  {
    kind: 'conv_transpose',
    args: { filters: 8, size: 4, stride: 2, padding: 1 },
    inputs: [[8, 8, 16]],
    out: [16, 16, 8],
    trainable: 4 * 4 * 16 * 8 + 8,
    macs: 64 * 16 * 16 * 8,
    rf: { kind: 'transpose', kernel: [4, 4], stride: [2, 2], padBefore: [1, 1] },
  },
  // pools
  { kind: 'maxpool', inputs: [[32, 32, 16]], out: [16, 16, 16], rf: window(2, 2, 0) },
  { kind: 'maxpool', args: { size: 3, stride: 2 }, inputs: [[55, 55, 64]], out: [27, 27, 64] },
  // ResNet's maxpool: (112 + 2 − 3) / 2 + 1 = 56.5, floored.
  { kind: 'maxpool', args: { size: 3, stride: 2, padding: 1, round: 'floor' }, inputs: [[112, 112, 64]], out: [56, 56, 64], rf: window(3, 2, 1) },
  { kind: 'maxpool', args: { round: 'ceil' }, inputs: [[33, 32, 1]], out: [17, 16, 1] },
  // PyTorch ceil_mode drops a last window that would start in the trailing padding: 3, not 4.
  { kind: 'maxpool', args: { padding: 1, round: 'ceil' }, inputs: [[5, 5, 1]], out: [3, 3, 1] },
  { kind: 'avgpool', args: { stride: 2, padding: 'same', round: 'ceil' }, inputs: [[7, 7, 3]], out: [4, 4, 3], rf: window(2, 2, 0) },
  { kind: 'avgpool', args: { size: [2, 3] }, inputs: [[8, 9, 3]], out: [4, 3, 3] },
  { kind: 'global_avgpool', inputs: [[7, 7, 512]], out: [512], rf: { kind: 'global' } },
  { kind: 'global_maxpool', args: { keepdims: true }, inputs: [[7, 7, 512]], out: [1, 1, 512] },
  // resampling and reshaping
  { kind: 'upsample', inputs: [[16, 16, 8]], out: [32, 32, 8], rf: { kind: 'upsample', factor: [2, 2] } },
  { kind: 'upsample', args: { factor: [2, 3], mode: 'bilinear' }, inputs: [[16, 16, 8]], out: [32, 48, 8] },
  { kind: 'flatten', inputs: [[5, 5, 16]], out: [400], rf: { kind: 'identity' } },
  { kind: 'crop', inputs: [[40, 40, 8], [32, 32, 16]], out: [32, 32, 8], rf: { kind: 'crop', offset: [4, 4] } },
  { kind: 'crop', args: { size: [28, 27] }, inputs: [[33, 32, 8]], out: [28, 27, 8], rf: { kind: 'crop', offset: [2, 2] } },
  // dense
  { kind: 'dense', args: { units: 10 }, inputs: [[84]], out: [10], trainable: 850, macs: 840, rf: { kind: 'global' } },
  { kind: 'dense', args: { units: 3, bias: false }, inputs: [[4, 4, 8]], out: [4, 4, 3], trainable: 24, macs: 16 * 8 * 3, rf: { kind: 'identity' } },
  // normalisation and regularisation
  { kind: 'batchnorm', inputs: [[8, 8, 16]], out: [8, 8, 16], trainable: 32, nonTrainable: 32, macs: 8 * 8 * 16 },
  { kind: 'batchnorm', args: { scale: false }, inputs: [[8, 8, 16]], out: [8, 8, 16], trainable: 16, nonTrainable: 32, macs: 8 * 8 * 16 },
  { kind: 'batchnorm', args: { scale: false, statistics: 'fixed' }, inputs: [[16]], out: [16], trainable: 16, nonTrainable: 0, macs: 16, rf: { kind: 'identity' } },
  { kind: 'dropout', inputs: [[128]], out: [128] },
  { kind: 'fre', args: { count: 4 }, inputs: [[8, 8, 16]], out: [8, 8, 16], rf: { kind: 'identity' } },
  { kind: 'se', inputs: [[8, 8, 64]], out: [8, 8, 64], trainable: 64 * 4 + 4 + 4 * 64 + 64, macs: 2 * 64 * 4, rf: { kind: 'global' }, describe: 'squeeze 64 → 4 → 64 channels' },
  { kind: 'se', args: { ratio: 16 }, inputs: [[4, 4, 8]], out: [4, 4, 8], trainable: 8 + 1 + 8 + 8, macs: 16 },
  // merges
  { kind: 'add', inputs: [[8, 8, 4], [8, 8, 4], [8, 8, 4]], out: [8, 8, 4], rf: { kind: 'merge' } },
  { kind: 'multiply', inputs: [[10], [10]], out: [10] },
  { kind: 'concat', inputs: [[8, 8, 4], [8, 8, 12], [8, 8, 1]], out: [8, 8, 17], rf: { kind: 'merge' } },
  // activations
  ...(['relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish', 'softplus', 'linear', 'leaky_relu'] as const).map(
    (kind): Row => ({ kind, inputs: [[6, 6, 3]], out: [6, 6, 3], rf: { kind: 'identity' } }),
  ),
];

const label = (row: Row) => `${row.kind}(${JSON.stringify(row.args ?? {})}) on ${row.inputs.map((s) => s.join('×')).join(', ')}`;

for (const row of ROWS) {
  test(label(row), () => {
    const run = runBlock(row.kind, row.args ?? {}, row.inputs);
    assert.equal(run.reported, [], 'no diagnostics');
    assert.equal(run.out, row.out, 'output shape');
    assert.is(run.trainable, row.trainable ?? 0, 'trainable');
    assert.is(run.nonTrainable, row.nonTrainable ?? 0, 'non-trainable');
    assert.is(run.macs, row.macs ?? 0, 'MACs');
    if (row.rf) assert.equal(run.rf, row.rf, 'receptive field');
    if (row.describe) assert.is(run.describe, row.describe, 'describe');
  });
}

test('LeNet-5 holds 61 706 parameters', () => {
  const total = runChain([32, 32, 1], [
    { kind: 'conv', args: { filters: 6, size: 5, padding: 'valid' } },
    { kind: 'tanh' },
    { kind: 'avgpool' },
    { kind: 'conv', args: { filters: 16, size: 5, padding: 'valid' } },
    { kind: 'tanh' },
    { kind: 'avgpool' },
    { kind: 'flatten' },
    { kind: 'dense', args: { units: 120 } },
    { kind: 'tanh' },
    { kind: 'dense', args: { units: 84 } },
    { kind: 'tanh' },
    { kind: 'dense', args: { units: 10 } },
  ]);
  assert.equal(total.out, [10]);
  assert.is(total.trainable, 61706);
});

test.run();
