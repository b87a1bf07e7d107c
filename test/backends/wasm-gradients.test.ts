import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectAllMatch, initBothBackends, restoreCpuBackend, sample, type Case, type Shape4 } from './compare.js';

/**
 * Gradients on wasm (through the kernels backends/wasm adds or replaces and the package's own
 * gradient kernels) against the cpu backend. tfjs computes conv gradients only at dilation 1;
 * dilated depthwise backprop kernels are called directly.
 */

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Cases = Generator<Case>;

const PADS: Pad[] = ['same', 'valid', [[0, 0], [2, 1], [0, 1], [0, 0]]];
const FILTERS: [number, number][] = [[3, 3], [1, 3], [3, 1], [2, 2], [1, 1], [4, 4]];
const HEIGHTS = [7, 8];

/** Gradients of Σ f(inputs) · weights, so dy is not all ones. */
function gradientsOf(f: (...inputs: tf.Tensor[]) => tf.Tensor, shapes: number[][], seed: number): () => tf.Tensor[] {
  const values = shapes.map((shape, i) => sample(shape, seed + i));
  return () => {
    const inputs = values.map((v, i) => tf.tensor(v, shapes[i]));
    const weighted = (...xs: tf.Tensor[]) => {
      const y = f(...xs);
      return tf.sum(tf.mul(y, tf.tensor(sample(y.shape, seed + 99), y.shape)));
    };
    return tf.grads(weighted)(inputs);
  };
}

function* convGradientCases(): Cases {
  for (const kind of ['conv', 'depthwise', 'depthwise×2', 'fused conv', 'fused depthwise'] as const)
    for (const [kh, kw] of FILTERS)
      for (const stride of [1, 2])
        for (const pad of PADS)
          for (const height of HEIGHTS) {
            const xShape: Shape4 = [2, height, height + 1, 3];
            const dense = kind === 'conv' || kind === 'fused conv';
            const fShape: Shape4 = [kh, kw, 3, dense ? 4 : kind === 'depthwise×2' ? 2 : 1];
            const bias = () => tf.linspace(-0.3, 0.3, dense ? 4 : 3 * fShape[3]);
            const conv = (x: tf.Tensor, filter: tf.Tensor) => {
              const args = { x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: stride, pad };
              if (kind === 'conv') return tf.conv2d(args.x, args.filter, stride, pad);
              if (kind === 'fused conv') return tf.fused.conv2d({ ...args, bias: bias(), activation: 'relu' });
              // Its typing omits explicit padding, which the op accepts.
              if (kind === 'fused depthwise') return tf.fused.depthwiseConv2d({ ...args, pad: pad as number, bias: bias(), activation: 'relu' });
              return tf.depthwiseConv2d(args.x, args.filter, stride, pad);
            };
            const name = `${kind} ${kh}×${kw} stride ${stride} pad ${JSON.stringify(pad)} ${height}×${height + 1}`;
            yield [name, gradientsOf(conv, [xShape, fShape], height * 7 + kh)];
          }
}

/** conv2dTranspose runs Conv2DBackpropInput forward; its gradients run conv2d and Conv2DBackpropFilter. */
function* transposeCases(): Cases {
  for (const [kh, kw] of FILTERS)
    for (const stride of [1, 2, 3])
      for (const pad of ['same', 'valid'] as const)
        for (const height of HEIGHTS) {
          const outShape: Shape4 = [2, height, height + 1, 3];
          const info = tf.backend_util.computeConv2DInfo(outShape, [kh, kw, 3, 4], stride, 1, pad);
          const dyShape = [2, info.outHeight, info.outWidth, 4];
          const transpose = (dy: tf.Tensor, filter: tf.Tensor) => tf.conv2dTranspose(dy as tf.Tensor4D, filter as tf.Tensor4D, outShape, stride, pad);
          yield [`conv2dTranspose ${kh}×${kw} stride ${stride} ${pad} ${height}×${height + 1}`, gradientsOf(transpose, [dyShape, [kh, kw, 3, 4]], kh + stride)];
        }
}

/** Kernels called directly: channels-first layout and dilated depthwise backprop, which no tfjs gradient reaches. */
function* directKernelCases(): Cases {
  const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  for (const stride of [1, 2]) {
    const xs = sample([2, 3, 7, 8], 5);
    const dys = sample([2, 4, 7, 8], 6);
    const fs = sample([3, 3, 3, 4], 7);
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NCHW' };
    const info = tf.backend_util.computeConv2DInfo([2, 3, 7, 8], [3, 3, 3, 4], stride, 1, 'same', undefined, false, 'channelsFirst');
    const dyShape = [2, 4, info.outHeight, info.outWidth];
    yield [`Conv2DBackpropFilter NCHW stride ${stride}`, () => [run(tf.Conv2DBackpropFilter, { x: tf.tensor(xs, [2, 3, 7, 8]), dy: tf.tensor(dys.slice(0, 2 * 4 * info.outHeight * info.outWidth), dyShape) }, { ...attrs, filterShape: [3, 3, 3, 4] })]];
    yield [`Conv2DBackpropInput NCHW stride ${stride}`, () => [run(tf.Conv2DBackpropInput, { dy: tf.tensor(dys.slice(0, 2 * 4 * info.outHeight * info.outWidth), dyShape), filter: tf.tensor(fs, [3, 3, 3, 4]) }, { ...attrs, inputShape: [2, 3, 7, 8] })]];
  }
  for (const [kh, kw] of [[3, 3], [1, 3], [2, 2]])
    for (const dilation of [2, 3])
      for (const pad of PADS)
        for (const multiplier of [1, 2]) {
          const xShape: Shape4 = [2, 9, 10, 3];
          const fShape: Shape4 = [kh, kw, 3, multiplier];
          const info = tf.backend_util.computeConv2DInfo(xShape, fShape, 1, dilation, pad, undefined, true);
          if (info.outHeight <= 0 || info.outWidth <= 0) continue;
          const dyShape = [2, info.outHeight, info.outWidth, 3 * multiplier];
          const attrs = { strides: 1, dilations: dilation, pad };
          const tag = `${kh}×${kw} dilation ${dilation} pad ${JSON.stringify(pad)} ×${multiplier}`;
          const x = sample(xShape, 8), dy = sample(dyShape, 9), f = sample(fShape, 10);
          const reference = () => dilatedDepthwiseGradients(tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), tf.tensor(dy, dyShape), dilation, pad);
          const filterGrad = () => [run(tf.DepthwiseConv2dNativeBackpropFilter, { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) }, { ...attrs, filterShape: fShape })];
          const inputGrad = () => [run(tf.DepthwiseConv2dNativeBackpropInput, { dy: tf.tensor(dy, dyShape), filter: tf.tensor(f, fShape) }, { ...attrs, inputShape: xShape })];
          yield [`DepthwiseConv2dNativeBackpropFilter ${tag}`, filterGrad, () => [reference()[1]]];
          yield [`DepthwiseConv2dNativeBackpropInput ${tag}`, inputGrad, () => [reference()[0]]];
        }
}

/**
 * [dx, dW] of a dilated depthwise convolution, computed at dilation 1 with zeros spread between
 * the filter taps and the gradient read back at the taps (tfjs' cpu backprop kernels ignore dilation).
 */
function dilatedDepthwiseGradients(x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor, dilation: number, pad: Pad): tf.Tensor[] {
  const [kh, kw, c, m] = filter.shape;
  const spaced = tf.pad(tf.reshape(filter, [kh, 1, kw, 1, c, m]), [[0, 0], [0, dilation - 1], [0, 0], [0, dilation - 1], [0, 0], [0, 0]]);
  const grid = tf.reshape(spaced, [kh * dilation, kw * dilation, c, m]);
  const dilated = tf.slice(grid, 0, [(kh - 1) * dilation + 1, (kw - 1) * dilation + 1, c, m]);
  const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), dy));
  const [dx, dDilated] = tf.grads(loss)([x, dilated]);
  return [dx, tf.stridedSlice(dDilated, [0, 0, 0, 0], dDilated.shape, [dilation, dilation, 1, 1])];
}

function* poolCases(): Cases {
  for (const mode of ['max', 'avg'] as const)
    for (const filter of [[3, 3], [2, 2], [1, 3]] as [number, number][])
      for (const stride of [1, 2])
        for (const pad of ['same', 'valid', 1] as Pad[])
          for (const height of HEIGHTS) {
            const pool = (x: tf.Tensor) => (mode === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, filter, stride, pad);
            yield [`${mode}Pool ${filter.join('×')} stride ${stride} pad ${pad} ${height}`, gradientsOf(pool, [[2, height, height + 1, 3]], height)];
          }
}

function* otherTrainingCases(): Cases {
  const gatherAxis = (axis: number) => (x: tf.Tensor) => tf.gather(x, tf.tensor1d([0, 2, 2, 1, 0, 4], 'int32'), axis);
  for (const axis of [0, 1, 2, 3]) yield [`gather axis ${axis} (UnsortedSegmentSum)`, gradientsOf(gatherAxis(axis), [[5, 6, 5, 5]], axis)];
  const ids = [3, -1, 0, 3, 7, 1];
  yield ['unsortedSegmentSum with ids out of range', () => [tf.unsortedSegmentSum(tf.tensor(sample([6, 4, 2], 13), [6, 4, 2]), tf.tensor1d(ids, 'int32'), 5)]];
  const head = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
    const moments = tf.moments(x, [0, 1, 2]);
    const normed = tf.batchNorm(x, moments.mean, moments.variance, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3);
    const act = tf.add(tf.relu6(tf.mul(normed, 4)), tf.add(tf.leakyRelu(normed, 0.1), tf.elu(tf.sigmoid(normed))));
    const logits = tf.reshape(tf.mean(act, [1, 2]), [2, 3]);
    return tf.add(tf.logSoftmax(logits), tf.softmax(tf.mul(logits, 3)));
  };
  yield ['batchNorm, relu6, leakyRelu, elu, sigmoid, mean, softmax, logSoftmax', gradientsOf(head, [[2, 5, 6, 3], [3], [3]], 14)];
}

test.before(initBothBackends);
test.after(restoreCpuBackend);

test('conv and depthwise gradients (plain, channel multiplier 2, fused) match cpu', async () => {
  assert.ok((await expectAllMatch(convGradientCases())) > 300);
});

test('conv2dTranspose and its gradients match cpu', async () => {
  assert.ok((await expectAllMatch(transposeCases())) > 60);
});

test('backprop kernels called directly (NCHW; dilated depthwise against a zero-spread filter on cpu) match', async () => {
  assert.ok((await expectAllMatch(directKernelCases())) > 30);
});

test('max and average pool gradients match cpu', async () => {
  assert.ok((await expectAllMatch(poolCases())) > 60);
});

/**
 * Resize gradients are checked by the adjoint identity <R x, dy> = <x, Rᵀ dy> rather than against
 * cpu: tfjs' cpu ResizeBilinearGrad swaps height and width on non-square images and ignores
 * halfPixelCenters, and its ResizeNearestNeighborGrad is wrong or NaN.
 */
test('wasm resize gradients are the adjoint of the resize (bilinear, nearest; corners, half pixels)', async () => {
  await tf.setBackend('wasm');
  const failures: string[] = [];
  for (const [inShape, size] of [[[2, 7, 8, 3], [12, 5]], [[2, 7, 7, 3], [14, 14]], [[2, 7, 8, 3], [4, 3]], [[1, 5, 9, 2], [3, 19]]] as [Shape4, [number, number]][])
    for (const mode of ['bilinear', 'nearest'] as const)
      for (const [alignCorners, halfPixel] of [[false, false], [true, false], [false, true]]) {
        const resize = (x: tf.Tensor4D) => (mode === 'bilinear' ? tf.image.resizeBilinear : tf.image.resizeNearestNeighbor)(x, size, alignCorners, halfPixel);
        const [forward, adjoint] = tf.tidy(() => {
          const x = tf.tensor4d(sample(inShape, 17), inShape);
          const dy = tf.tensor4d(sample([inShape[0], ...size, inShape[3]], 18), [inShape[0], ...size, inShape[3]]);
          const transposed = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(resize(input as tf.Tensor4D), dy)))(x);
          return [tf.sum(tf.mul(resize(x), dy)).dataSync()[0], tf.sum(tf.mul(x, transposed)).dataSync()[0]];
        });
        const tag = `${mode} ${inShape.join('×')} → ${size.join('×')} alignCorners ${alignCorners} halfPixel ${halfPixel}`;
        if (!(Math.abs(forward - adjoint) <= 1e-4 * Math.max(1, Math.abs(forward)))) failures.push(`${tag}: ${forward} vs ${adjoint}`);
      }
  assert.equal(failures, []);
});

test('gather, batch norm and activation gradients match cpu', async () => {
  await expectAllMatch(otherTrainingCases());
});

test('added kernels free their intermediates and keep their inputs', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor4d(sample([2, 8, 9, 3], 15), [2, 8, 9, 3]);
  const filter = tf.tensor4d(sample([3, 3, 3, 2], 16), [3, 3, 3, 2]);
  const before = tf.memory().numTensors;
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, filter]);
  assert.is(tf.memory().numTensors, before + 2);
  tf.dispose(grads);
  assert.is(tf.memory().numTensors, before);
  assert.is((await x.data()).length, 2 * 8 * 9 * 3);
  tf.dispose([x, filter]);
});

test.run();
