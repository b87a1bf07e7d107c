import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectAllMatch, initBothBackends, restoreCpuBackend, sample, type Shape4 } from './compare.js';

/**
 * The wasm forward kernels gnet relies on, against the cpu backend, over strides, paddings,
 * dilations, odd and even sizes and 1×N filters (where wasm 4.22 has its defects).
 */

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

const FILTERS: [number, number][] = [[3, 3], [1, 3], [3, 1], [5, 1], [2, 2], [1, 1], [4, 4]];
const CONV_PADS: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [2, 0], [0, 0]]];
const STRIDE_DILATION: [number, number][] = [[1, 1], [2, 1], [1, 2]];
const HEIGHTS = [7, 8];

type ConvKind = 'conv' | 'depthwise' | 'depthwise×2' | 'fused conv' | 'fused depthwise';

function convCase(kind: ConvKind, [kh, kw]: [number, number], stride: number, dilation: number, pad: Pad, height: number): () => tf.Tensor {
  const xShape: Shape4 = [2, height, height + 1, 3];
  const dense = kind === 'conv' || kind === 'fused conv';
  const fShape: Shape4 = [kh, kw, 3, dense ? 4 : kind === 'depthwise×2' ? 2 : 1];
  const outChannels = dense ? 4 : 3 * fShape[3];
  const xs = sample(xShape, 1);
  const fs = sample(fShape, 2);
  return () => {
    const x = tf.tensor4d(xs, xShape);
    const filter = tf.tensor4d(fs, fShape);
    const bias = tf.linspace(-0.5, 0.5, outChannels);
    switch (kind) {
      case 'conv':
        return tf.conv2d(x, filter, stride, pad, 'NHWC', dilation);
      case 'fused conv':
        return tf.fused.conv2d({ x, filter, strides: stride, pad, dilations: dilation, bias, activation: 'relu' });
      case 'fused depthwise':
        // Its typing omits explicit padding, which the op accepts.
        return tf.fused.depthwiseConv2d({ x, filter, strides: stride, pad: pad as number, dilations: dilation, bias, activation: 'relu' });
      default:
        return tf.depthwiseConv2d(x, filter, stride, pad, 'NHWC', dilation);
    }
  };
}

/** Configurations whose output would have a negative size are rejected by both backends. */
function outputExists([kh, kw]: [number, number], stride: number, dilation: number, pad: Pad, height: number): boolean {
  const info = tf.backend_util.computeConv2DInfo([2, height, height + 1, 3], [kh, kw, 3, 1], stride, dilation, pad);
  return info.outHeight >= 0 && info.outWidth >= 0;
}

function* convCases(): Generator<[string, () => tf.Tensor]> {
  const kinds: ConvKind[] = ['conv', 'depthwise', 'depthwise×2', 'fused conv', 'fused depthwise'];
  for (const kind of kinds)
    for (const filter of FILTERS)
      for (const [stride, dilation] of STRIDE_DILATION)
        for (const pad of CONV_PADS)
          for (const height of HEIGHTS) {
            if (!outputExists(filter, stride, dilation, pad, height)) continue;
            const name = `${kind} ${filter.join('×')} stride ${stride} dilation ${dilation} pad ${JSON.stringify(pad)} ${height}×${height + 1}`;
            yield [name, convCase(kind, filter, stride, dilation, pad, height)];
          }
}

function* poolCases(): Generator<[string, () => tf.Tensor]> {
  const pads: Pad[] = ['same', 'valid', 1, 2, [[0, 0], [0, 2], [1, 1], [0, 0]]];
  for (const mode of ['max', 'avg'] as const)
    for (const filter of [[3, 3], [1, 3], [2, 2], [1, 1]] as [number, number][])
      for (const stride of [1, 2, 3])
        for (const pad of pads)
          for (const height of HEIGHTS) {
            const shape: Shape4 = [2, height, height + 1, 3];
            const xs = sample(shape, 3);
            const pool = mode === 'max' ? tf.maxPool : tf.avgPool;
            const name = `${mode}Pool ${filter.join('×')} stride ${stride} pad ${JSON.stringify(pad)} ${height}×${height + 1}`;
            yield [name, () => pool(tf.tensor4d(xs, shape), filter, stride, pad)];
          }
}

function* resizeCases(): Generator<[string, () => tf.Tensor]> {
  const shape: Shape4 = [2, 7, 8, 3];
  const xs = sample(shape, 4);
  for (const size of [[14, 17], [4, 5], [7, 3]] as [number, number][])
    for (const [alignCorners, halfPixel] of [[false, false], [true, false], [false, true]])
      for (const resize of [tf.image.resizeBilinear, tf.image.resizeNearestNeighbor]) {
        const name = `${resize === tf.image.resizeBilinear ? 'bilinear' : 'nearest'} → ${size.join('×')} alignCorners ${alignCorners} halfPixel ${halfPixel}`;
        yield [name, () => resize(tf.tensor4d(xs, shape), size, alignCorners, halfPixel)];
      }
}

test.before(initBothBackends);
test.after(restoreCpuBackend);

test('wasm convolutions match cpu (dense, depthwise, channel multiplier 2, fused)', async () => {
  assert.ok((await expectAllMatch(convCases())) > 500);
});

test('wasm max and average pooling match cpu, including windows wholly inside the padding', async () => {
  assert.ok((await expectAllMatch(poolCases())) > 200);
});

test('wasm bilinear and nearest-neighbour resizing match cpu', async () => {
  await expectAllMatch(resizeCases());
});

test('an empty convolution output is returned without touching the wasm heap', async () => {
  const empty = convCase('conv', [5, 5], 1, 2, 'valid', 8);
  tf.tidy(() => assert.equal(empty().shape, [2, 0, 1, 4]));
  await expectAllMatch([['5×5 dilation 2 on 8×9, valid', empty]]);
  // The heap is intact afterwards: convolutions still agree.
  await expectAllMatch([...convCases()].filter((_, i) => i % 10 === 0));
});

test.run();
