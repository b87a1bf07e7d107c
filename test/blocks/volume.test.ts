/**
 * Blocks on volumes (D×H×W×C): the input's rank makes every block 3-D. Table of (block, arguments as
 * written, input shapes) → (output shape, trainable, non-trainable, MACs, receptive-field rule), the
 * expected numbers written as the arithmetic that derives them; then the argument-rank check (GN0110)
 * through the analysis, as a spec writes it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import type { RFRule } from '../../compiler/blocks/block.js';
import type { BlockKind } from '../../compiler/blocks/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Shape } from '../../compiler/ir/ir.js';
import { compileSource } from '../../compiler/program.js';
import { runBlock, type Args } from './harness.js';

interface Row {
  readonly kind: BlockKind;
  readonly args?: Args;
  readonly inputs: readonly Shape[];
  readonly out: Shape;
  readonly trainable?: number;
  readonly nonTrainable?: number;
  readonly macs?: number;
  readonly rf?: RFRule;
}

const cube = (k: number, s: number, padBefore: number, d = 1): RFRule => ({ kind: 'window', kernel: [k, k, k], stride: [s, s, s], dilation: [d, d, d], padBefore: [padBefore, padBefore, padBefore] });

const ROWS: readonly Row[] = [
  { kind: 'conv', args: { filters: 8 }, inputs: [[16, 16, 16, 4]], out: [16, 16, 16, 8], trainable: 27 * 4 * 8 + 8, macs: 16 ** 3 * 8 * 27 * 4, rf: cube(3, 1, 1) },
  { kind: 'conv', args: { filters: 6, stride: 2, padding: 'valid', round: 'floor' }, inputs: [[8, 8, 8, 4]], out: [3, 3, 3, 6], trainable: 27 * 4 * 6 + 6, macs: 27 * 6 * 27 * 4, rf: cube(3, 2, 0) },
  // Anisotropic: a thin slab kernel [1, 3, 3] and a depth stride of 1 (MR volumes with thick slices).
  {
    kind: 'conv',
    args: { filters: 4, size: [1, 3, 3], stride: [1, 2, 2], bias: false },
    inputs: [[5, 16, 16, 2]],
    out: [5, 8, 8, 4],
    trainable: 9 * 2 * 4,
    macs: 5 * 8 * 8 * 4 * 9 * 2,
    rf: { kind: 'window', kernel: [1, 3, 3], stride: [1, 2, 2], dilation: [1, 1, 1], padBefore: [0, 0, 0] },
  },
  { kind: 'conv', args: { filters: 8, groups: 2, dilation: 2, padding: [2, 2, 0] }, inputs: [[6, 6, 6, 4]], out: [6, 6, 2, 8], trainable: 27 * 2 * 8 + 8, macs: 6 * 6 * 2 * 8 * 27 * 2 },
  { kind: 'depthwise', args: { multiplier: 2, stride: 2 }, inputs: [[8, 8, 8, 3]], out: [4, 4, 4, 6], trainable: 27 * 3 * 2 + 6, macs: 64 * 6 * 27, rf: cube(3, 2, 0) },
  { kind: 'conv_transpose', args: { filters: 4 }, inputs: [[4, 4, 4, 8]], out: [8, 8, 8, 4], trainable: 8 * 8 * 4 + 4, macs: 64 * 8 * 8 * 4, rf: { kind: 'transpose', kernel: [2, 2, 2], stride: [2, 2, 2], padBefore: [0, 0, 0] } },
  { kind: 'conv_transpose', args: { filters: 2, size: 3, stride: 2, padding: 1 }, inputs: [[4, 5, 3, 2]], out: [7, 9, 5, 2], trainable: 27 * 2 * 2 + 2, macs: 60 * 2 * 27 * 2 },
  { kind: 'maxpool', inputs: [[8, 8, 8, 4]], out: [4, 4, 4, 4], rf: cube(2, 2, 0) },
  { kind: 'maxpool', args: { size: 3, stride: 2, round: 'ceil' }, inputs: [[8, 8, 8, 1]], out: [4, 4, 4, 1] },
  { kind: 'avgpool', args: { size: [1, 2, 2] }, inputs: [[3, 8, 8, 2]], out: [3, 4, 4, 2] },
  { kind: 'global_avgpool', inputs: [[4, 4, 4, 16]], out: [16], rf: { kind: 'global' } },
  { kind: 'global_maxpool', args: { keepdims: true }, inputs: [[4, 4, 4, 16]], out: [1, 1, 1, 16] },
  { kind: 'upsample', inputs: [[4, 4, 4, 8]], out: [8, 8, 8, 8], rf: { kind: 'upsample', factor: [2, 2, 2] } },
  { kind: 'upsample', args: { factor: [1, 2, 2], mode: 'bilinear' }, inputs: [[3, 4, 4, 8]], out: [3, 8, 8, 8] },
  { kind: 'crop', inputs: [[10, 10, 10, 4], [6, 7, 8, 1]], out: [6, 7, 8, 4], rf: { kind: 'crop', offset: [2, 1, 1] } },
  { kind: 'crop', args: { size: 4 }, inputs: [[6, 6, 6, 2]], out: [4, 4, 4, 2] },
  { kind: 'batchnorm', inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8], trainable: 16, nonTrainable: 16, macs: 64 * 8 },
  { kind: 'groupnorm', args: { groups: 4 }, inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8], trainable: 16, macs: 64 * 8 },
  { kind: 'instancenorm', inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8], trainable: 16, macs: 64 * 8 },
  { kind: 'dense', args: { units: 3 }, inputs: [[2, 2, 2, 8]], out: [2, 2, 2, 3], trainable: 8 * 3 + 3, macs: 64 * 3, rf: { kind: 'identity' } },
  { kind: 'flatten', inputs: [[2, 2, 2, 8]], out: [64] },
  { kind: 'concat', inputs: [[4, 4, 4, 8], [4, 4, 4, 2]], out: [4, 4, 4, 10] },
  { kind: 'add', inputs: [[4, 4, 4, 8], [4, 4, 4, 8]], out: [4, 4, 4, 8] },
  { kind: 'se', args: { ratio: 4 }, inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8], trainable: 8 * 2 + 2 + 2 * 8 + 8, macs: 2 * 8 * 2 },
  { kind: 'fre', args: { count: 2 }, inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8] },
  { kind: 'dropout', inputs: [[4, 4, 4, 8]], out: [4, 4, 4, 8] },
  { kind: 'softmax', inputs: [[4, 4, 4, 3]], out: [4, 4, 4, 3] },
];

for (const row of ROWS) {
  test(`${row.kind}(${JSON.stringify(row.args ?? {})}) on ${row.inputs.map((s) => s.join('×')).join(', ')}`, () => {
    const run = runBlock(row.kind, row.args ?? {}, row.inputs);
    assert.equal(run.reported, []);
    assert.equal(run.out, row.out, 'output shape');
    assert.is(run.trainable, row.trainable ?? 0, 'trainable');
    assert.is(run.nonTrainable, row.nonTrainable ?? 0, 'non-trainable');
    assert.is(run.macs, row.macs ?? 0, 'multiply-adds');
    if (row.rf) assert.equal(run.rf, row.rf, 'receptive-field rule');
  });
}

test('a volume kernel is [kd, kh, kw, in, out]; a transposed one [kd, kh, kw, out, in]', () => {
  assert.equal(runBlock('conv', { filters: 8, size: [1, 3, 5] }, [[4, 8, 8, 2]]).weights[0]!.shape, [1, 3, 5, 2, 8]);
  assert.equal(runBlock('conv_transpose', { filters: 8, size: 2 }, [[4, 4, 4, 2]]).weights[0]!.shape, [2, 2, 2, 8, 2]);
  assert.equal(runBlock('depthwise', { multiplier: 3 }, [[4, 4, 4, 2]]).weights[0]!.shape, [3, 3, 3, 2, 3]);
});

test('window problems name the depth axis: a leftover and a kernel too large', () => {
  const leftover = runBlock('maxpool', {}, [[7, 8, 8, 1]]).reported;
  assert.is(leftover[0]!.code, 'GN0304');
  assert.match(leftover[0]!.message, /stride 2×2×2 do not tile the input 7×8×8/);
  assert.equal(leftover[0]!.notes, ['depth: (7 + 0 − 2) / 2 + 1 = 3.5']);
  const large = runBlock('conv', { filters: 1, size: [5, 3, 3], padding: 'valid' }, [[4, 8, 8, 1]]).reported;
  assert.is(large[0]!.code, 'GN0303');
  assert.match(large[0]!.message, /kernel 5×3×3 is larger than the padded input 4×8×8/);
});

test('groupnorm: groups must divide the channels (GN0111), with the nearest divisors', () => {
  const [problem] = runBlock('groupnorm', { groups: 3 }, [[4, 4, 4, 8]]).reported;
  assert.is(problem!.code, 'GN0111');
  assert.is(problem!.help, 'use groups = 2 or 4');
});

function analyse(source: string): Diagnostic[] {
  const program = compileSource(source, 'main.gnet');
  const diagnostics = [...program.diagnostics];
  for (const graph of program.graphs) analyzeGraph(graph, {}, (d) => diagnostics.push(d));
  return diagnostics;
}

test('GN0110: a list argument with a length other than the input rank, in a spec', () => {
  const volume = analyse('network V {\n  input ct: 16 x 16 x 16 x 1\n  output y = ct -> conv(4, size = [3, 3]) -> maxpool(2)\n}\n');
  assert.equal(volume.map((d) => d.code), ['GN0110']);
  assert.match(volume[0]!.message, /`size` \[3, 3\] has 2 entries, but the input 16×16×16×1 is a volume with 3 spatial axes \(depth, height, width\)/);
  const image = analyse('network I {\n  input x: 16 x 16 x 1\n  output y = x -> maxpool(stride = [2, 2, 2])\n}\n');
  assert.equal(image.map((d) => d.code), ['GN0110']);
  assert.equal(analyse('network V {\n  input ct: 8 x 16 x 16 x 1\n  output y = ct -> conv(4, size = [1, 3, 3], padding = [0, 1, 1])\n}\n'), []);
});

test('an input shape takes up to four dimensions; five is GN0104', () => {
  const program = compileSource('network V {\n  input ct: 4 x 16 x 16 x 16 x 1\n  output y = ct -> relu\n}\n', 'main.gnet');
  assert.equal(program.diagnostics.map((d) => d.code), ['GN0104']);
  assert.match(program.diagnostics[0]!.message, /1 to 4 dimensions/);
});

test.run();
