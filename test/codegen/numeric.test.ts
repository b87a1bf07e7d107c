/**
 * The emitted convolution and pooling calls compute what the spec says, checked against plain loops:
 * each row is one block whose emission takes a different path (tf.conv2d 'same', rt.groupedConv2d for
 * groups or stride with dilation, explicit and ceil-mode padding, depthwise reshaped to groups, pools).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transpileModule } from '../../compiler/codegen/index.js';
import { compileSource } from '../../compiler/program.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { analysed, generate } from './helpers.js';

await tf.setBackend('cpu');

/** One spatial axis: output length and the padding before it, from the window rules written out again. */
function axis(size: number, kernel: number, stride: number, dilation: number, padding: 'same' | number, round: 'floor' | 'ceil') {
  const extent = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    return { out, before: Math.floor(Math.max((out - 1) * stride + extent - size, 0) / 2) };
  }
  const span = (size + 2 * padding - extent) / stride;
  const out = (round === 'ceil' ? Math.ceil(span) : Math.floor(span)) + 1;
  // PyTorch ceil mode: a last window must start inside the input or the leading padding.
  return { out: (out - 1) * stride >= size + padding ? out - 1 : out, before: padding };
}

interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly dilation?: number;
  readonly padding: 'same' | number;
  readonly round?: 'floor' | 'ceil';
}

type Pixel = (n: number, y: number, x: number, c: number) => number;

/** out[n, i, j, o] = reduce over the in-bounds taps of `tap(o, a, b)` → (input channel, weight). */
function slide(x: tf.Tensor4D, w: Window, outChannels: number, combine: 'sum' | 'max' | 'mean', tap: (o: number, a: number, b: number) => readonly [number, number][]) {
  const [n, h, wd, c] = x.shape;
  const values = x.dataSync();
  const at: Pixel = (b, y, xx, ch) => values[((b * h + y) * wd + xx) * c + ch]!;
  const d = w.dilation ?? 1;
  const [rows, cols] = [axis(h, w.kernel, w.stride, d, w.padding, w.round ?? 'floor'), axis(wd, w.kernel, w.stride, d, w.padding, w.round ?? 'floor')];
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let o = 0; o < outChannels; o++) {
          const seen: number[] = [];
          for (let ka = 0; ka < w.kernel; ka++)
            for (let kb = 0; kb < w.kernel; kb++) {
              const [y, xx] = [i * w.stride + ka * d - rows.before, j * w.stride + kb * d - cols.before];
              if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
              for (const [ch, weight] of tap(o, ka, kb)) seen.push(at(b, y, xx, ch) * weight);
            }
          out.push(combine === 'sum' ? seen.reduce((s, v) => s + v, 0) : combine === 'max' ? Math.max(...seen) : seen.reduce((s, v) => s + v, 0) / seen.length);
        }
  return { shape: [n, rows.out, cols.out, outChannels], values: out };
}

/** Conv kernel [k, k, in/groups, out] read as taps of output channel o. */
const convTaps = (kernel: Float32Array | Int32Array | Uint8Array, k: number, inPerGroup: number, out: number, groups: number) => (o: number, a: number, b: number) =>
  Array.from({ length: inPerGroup }, (_, c) => [Math.floor(o / (out / groups)) * inPerGroup + c, kernel[((a * k + b) * inPerGroup + c) * out + o]!] as [number, number]);

/** Depthwise kernel [k, k, in, m]: output channel o = c·m + i reads input channel c. */
const depthwiseTaps = (kernel: Float32Array | Int32Array | Uint8Array, k: number, channels: number, m: number) => (o: number, a: number, b: number) =>
  [[Math.floor(o / m), kernel[((a * k + b) * channels + Math.floor(o / m)) * m + (o % m)]!] as [number, number]];

const poolTaps = (o: number) => [[o, 1] as [number, number]];

interface Row {
  readonly block: string;
  readonly input: readonly [number, number, number];
  readonly expect: (x: tf.Tensor4D, weights: Record<string, tf.Variable>) => { shape: number[]; values: number[] };
}

const kernelOf = (weights: Record<string, tf.Variable>) => Object.entries(weights).find(([name]) => name.endsWith('/kernel'))![1].dataSync();

const ROWS: Row[] = [
  { block: 'conv(4, size = 3, stride = 2, bias = false)', input: [8, 8, 3], expect: (x, w) => slide(x, { kernel: 3, stride: 2, padding: 'same' }, 4, 'sum', convTaps(kernelOf(w), 3, 3, 4, 1)) },
  {
    block: 'conv(6, size = 3, groups = 3, stride = 2, dilation = 2, bias = false)',
    input: [10, 10, 3],
    expect: (x, w) => slide(x, { kernel: 3, stride: 2, dilation: 2, padding: 'same' }, 6, 'sum', convTaps(kernelOf(w), 3, 1, 6, 3)),
  },
  {
    block: 'conv(4, size = 3, groups = 2, stride = 2, padding = 1, round = ceil, bias = false)',
    input: [8, 8, 4],
    expect: (x, w) => slide(x, { kernel: 3, stride: 2, padding: 1, round: 'ceil' }, 4, 'sum', convTaps(kernelOf(w), 3, 2, 4, 2)),
  },
  {
    block: 'depthwise(3, multiplier = 2, stride = 2, dilation = 2, bias = false)',
    input: [10, 10, 2],
    expect: (x, w) => slide(x, { kernel: 3, stride: 2, dilation: 2, padding: 'same' }, 4, 'sum', depthwiseTaps(kernelOf(w), 3, 2, 2)),
  },
  { block: 'depthwise(3, multiplier = 2, bias = false)', input: [5, 5, 2], expect: (x, w) => slide(x, { kernel: 3, stride: 1, padding: 'same' }, 4, 'sum', depthwiseTaps(kernelOf(w), 3, 2, 2)) },
  { block: 'maxpool(2, round = ceil)', input: [5, 5, 2], expect: (x) => slide(x, { kernel: 2, stride: 2, padding: 0, round: 'ceil' }, 2, 'max', poolTaps) },
  { block: 'avgpool(2, round = ceil)', input: [5, 5, 2], expect: (x) => slide(x, { kernel: 2, stride: 2, padding: 0, round: 'ceil' }, 2, 'mean', poolTaps) },
  { block: 'avgpool(3, stride = 2, padding = same)', input: [6, 6, 2], expect: (x) => slide(x, { kernel: 3, stride: 2, padding: 'same' }, 2, 'mean', poolTaps) },
];

for (const row of ROWS) {
  test(`${row.block} matches a plain-loop reference`, async () => {
    const source = `network N { input x: ${row.input.join(' x ')}\n output o = x -> ${row.block} }`;
    const program = compileSource(source, 'numeric.gnet');
    assert.equal(program.diagnostics.map((d) => d.message), []);
    const module = await importGenerated(transpileModule(generate(analysed(program.graphs[0]!, program.sources))));
    const weights = module.createWeights(11);
    const x = tf.randomNormal([2, ...row.input], 0, 1, 'float32', 12) as tf.Tensor4D;
    const actual = module.forward(weights, { x }, { training: false }).o!;
    const expected = row.expect(x, weights);
    assert.equal(actual.shape, expected.shape);
    const worst = Math.max(...Array.from(actual.dataSync(), (v, i) => Math.abs(v - expected.values[i]!)));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
    tf.dispose([weights, x, actual]);
  });
}

test.run();
