/**
 * The runtime's 3-D ops on tfjs' cpu backend against plain float64 loops (volume-reference.ts):
 * convolution with groups, dilation, strides and explicit padding; transposed convolution and its
 * hand-written gradients; max and average pooling whose padded cells never count; group
 * normalisation; nearest and trilinear upsampling; crop.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rt from '../../runtime/index.js';
import { lcg } from './reference.js';
import { at, conv3dRef, convTranspose3dRef, linearGradient, maxAbsDiff, pool3dRef, volume, type Dims, type Volume } from './volume-reference.js';

await tf.setBackend('cpu');

const randomVolume = (dims: Dims, channels: number, seed: number): Volume => {
  const rand = lcg(seed);
  return volume(dims, channels, () => rand() * 2 - 1);
};
const randoms = (n: number, seed: number): Float64Array => {
  const rand = lcg(seed);
  return Float64Array.from({ length: n }, () => rand() * 2 - 1);
};
const toTensor = (v: Volume): tf.Tensor5D => tf.tensor5d(Float32Array.from(v.data), [1, v.dims[0], v.dims[1], v.dims[2], v.channels]);
const kernelTensor = (values: Float64Array, shape: readonly number[]): tf.Tensor5D => tf.tensor<tf.Rank>(Float32Array.from(values), [...shape]) as tf.Tensor5D;

const CONV_CASES = [
  { name: 'plain, same-style padding', inC: 2, outC: 3, groups: 1, k: [3, 3, 3], stride: [1, 1, 1], dilation: [1, 1, 1], pads: [[1, 1], [1, 1], [1, 1]] },
  { name: 'strided, asymmetric padding', inC: 2, outC: 2, groups: 1, k: [3, 2, 3], stride: [2, 1, 2], dilation: [1, 1, 1], pads: [[0, 1], [1, 0], [1, 1]] },
  { name: 'grouped and dilated', inC: 4, outC: 6, groups: 2, k: [3, 3, 2], stride: [1, 1, 1], dilation: [2, 1, 2], pads: [[2, 2], [0, 0], [1, 1]] },
  { name: 'depthwise (one channel per group)', inC: 3, outC: 6, groups: 3, k: [3, 3, 3], stride: [2, 2, 2], dilation: [1, 1, 1], pads: [[1, 1], [1, 1], [1, 1]] },
] as const;

for (const c of CONV_CASES) {
  test(`conv3d ${c.name}: values and gradients match float64 loops`, () => {
    const dims: Dims = [5, 6, 4];
    const x = randomVolume(dims, c.inC, 1);
    const kernelSize = c.k[0] * c.k[1] * c.k[2] * (c.inC / c.groups) * c.outC;
    const kernel = randoms(kernelSize, 2);
    const forward = (xs: tf.Tensor5D, w: tf.Tensor5D) => rt.conv3d(xs, w, c.stride, c.pads, c.dilation, c.groups);
    const reference = (xv: Volume, w: Float64Array) => conv3dRef(xv, w, c.k, c.outC, c.stride, c.pads, c.dilation, c.groups);
    const expected = reference(x, kernel);
    const xT = toTensor(x);
    const wT = kernelTensor(kernel, [...c.k, c.inC / c.groups, c.outC]);
    const got = forward(xT, wT);
    assert.equal(got.shape, [1, ...expected.dims, c.outC]);
    assert.ok(maxAbsDiff(got.dataSync(), expected.data) < 1e-5, 'values');
    // Σ r·y is linear in x and in the kernel: the references' gradients are exact.
    const r = randoms(expected.data.length, 3);
    const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(forward(a as tf.Tensor5D, b as tf.Tensor5D), tf.tensor(Float32Array.from(r), got.shape))))([xT, wT]);
    const dxRef = linearGradient(x.data.length, r, (unit) => reference({ ...x, data: unit }, kernel).data);
    const dwRef = linearGradient(kernelSize, r, (unit) => reference(x, unit).data);
    assert.ok(maxAbsDiff(dx!.dataSync(), dxRef) < 1e-4, 'input gradient');
    assert.ok(maxAbsDiff(dw!.dataSync(), dwRef) < 1e-4, 'kernel gradient');
  });
}

const TRANSPOSE_CASES = [
  { name: 'same, kernel = stride', k: [2, 2, 2], stride: [2, 2, 2], mode: 'same', crop: [0, 0, 0], inDims: [2, 3, 2], outDims: [4, 6, 4], padBefore: [0, 0, 0] },
  { name: 'same, overlapping', k: [3, 3, 3], stride: [2, 2, 2], mode: 'same', crop: [0, 0, 0], inDims: [2, 3, 2], outDims: [4, 6, 4], padBefore: [0, 0, 0] },
  { name: 'valid', k: [3, 2, 3], stride: [2, 1, 2], mode: 'valid', crop: [0, 0, 0], inDims: [2, 3, 2], outDims: [5, 4, 5], padBefore: [0, 0, 0] },
  { name: 'explicit padding 1', k: [4, 3, 4], stride: [2, 1, 2], mode: 'valid', crop: [1, 1, 1], inDims: [2, 3, 2], outDims: [4, 3, 4], padBefore: [1, 1, 1] },
] as const;

for (const c of TRANSPOSE_CASES) {
  test(`conv3dTranspose ${c.name}: values and the hand-written gradients match float64 loops`, () => {
    const [inC, outC] = [2, 3];
    const x = randomVolume(c.inDims, inC, 4);
    const kernelSize = c.k[0] * c.k[1] * c.k[2] * outC * inC;
    const kernel = randoms(kernelSize, 5);
    // TF 'same' centres the taps: padBefore = ⌊max(k − s, 0) / 2⌋ is cropped off the start.
    const start = c.mode === 'same' ? (c.k.map((k, i) => Math.floor(Math.max(k - c.stride[i]!, 0) / 2)) as unknown as Dims) : c.padBefore;
    const reference = (xv: Volume, w: Float64Array) => convTranspose3dRef(xv, w, c.k, outC, c.stride, c.outDims, start);
    const expected = reference(x, kernel);
    const forward = (xs: tf.Tensor5D, w: tf.Tensor5D) => rt.conv3dTranspose(xs, w, [...c.outDims, outC], c.stride, c.mode, c.crop);
    const [xT, wT] = [toTensor(x), kernelTensor(kernel, [...c.k, outC, inC])];
    const got = forward(xT, wT);
    assert.equal(got.shape, [1, ...c.outDims, outC]);
    assert.ok(maxAbsDiff(got.dataSync(), expected.data) < 1e-5, 'values');
    const r = randoms(expected.data.length, 6);
    const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(forward(a as tf.Tensor5D, b as tf.Tensor5D), tf.tensor(Float32Array.from(r), got.shape))))([xT, wT]);
    assert.ok(maxAbsDiff(dx!.dataSync(), linearGradient(x.data.length, r, (unit) => reference({ ...x, data: unit }, kernel).data)) < 1e-4, 'input gradient');
    assert.ok(maxAbsDiff(dw!.dataSync(), linearGradient(kernelSize, r, (unit) => reference(x, unit).data)) < 1e-4, 'kernel gradient');
  });
}

test('maxPool3d and avgPool3d: padded cells never count, and the gradients follow', () => {
  const x = randomVolume([5, 4, 5], 2, 7);
  const cases = [
    { k: [2, 2, 2], stride: [2, 2, 2], pads: [[0, 1], [0, 0], [0, 1]] },
    { k: [3, 3, 3], stride: [2, 2, 2], pads: [[1, 1], [1, 1], [1, 1]] },
    { k: [1, 2, 3], stride: [1, 2, 1], pads: [[0, 0], [0, 0], [1, 1]] },
  ] as const;
  for (const c of cases) {
    const xT = toTensor(x);
    const max = rt.maxPool3d(xT, c.k, c.stride, c.pads);
    const mean = rt.avgPool3d(xT, c.k, c.stride, c.pads);
    assert.ok(maxAbsDiff(max.dataSync(), pool3dRef(x, 'max', c.k, c.stride, c.pads).data) < 1e-6, `max ${JSON.stringify(c)}`);
    const meanRef = (v: Volume) => pool3dRef(v, 'mean', c.k, c.stride, c.pads);
    assert.ok(maxAbsDiff(mean.dataSync(), meanRef(x).data) < 1e-6, `mean ${JSON.stringify(c)}`);
    const r = randoms(mean.size, 8);
    const dMean = tf.grad((a) => tf.sum(tf.mul(rt.avgPool3d(a as tf.Tensor5D, c.k, c.stride, c.pads), tf.tensor(Float32Array.from(r), mean.shape))))(xT);
    assert.ok(maxAbsDiff(dMean.dataSync(), linearGradient(x.data.length, r, (unit) => meanRef({ ...x, data: unit }).data)) < 1e-5, 'mean gradient');
    // The max's gradient lands on each window's winner (random values: no ties).
    const dMax = tf.grad((a) => tf.sum(tf.mul(rt.maxPool3d(a as tf.Tensor5D, c.k, c.stride, c.pads), tf.tensor(Float32Array.from(r), max.shape))))(xT).dataSync();
    const expected = new Float64Array(x.data.length);
    const maxValues = max.dataSync();
    maxValues.forEach((m, o) => {
      const distance = Array.from(x.data, (v) => Math.abs(v - m));
      expected[distance.indexOf(Math.min(...distance))] += r[o]!;
    });
    assert.ok(maxAbsDiff(dMax, expected) < 1e-5, 'max gradient');
  }
});

test('groupNorm: each group of channels of each example normalised over its positions and channels', () => {
  const x = randomVolume([3, 2, 4], 6, 9);
  const gamma = randoms(6, 10);
  const beta = randoms(6, 11);
  const got = rt.groupNorm(toTensor(x), { gamma: tf.tensor1d(Float32Array.from(gamma)), beta: tf.tensor1d(Float32Array.from(beta)) }, 3, 1e-5).dataSync();
  const positions = 3 * 2 * 4;
  for (let g = 0; g < 3; g++) {
    const values: number[] = [];
    for (let p = 0; p < positions; p++) for (let c = 2 * g; c < 2 * g + 2; c++) values.push(x.data[p * 6 + c]!);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    for (let p = 0; p < positions; p++)
      for (let c = 2 * g; c < 2 * g + 2; c++) {
        const expected = ((x.data[p * 6 + c]! - mean) / Math.sqrt(variance + 1e-5)) * gamma[c]! + beta[c]!;
        assert.ok(Math.abs(got[p * 6 + c]! - expected) < 1e-5);
      }
  }
});

test('upsample on a volume: nearest repeats voxels, bilinear interpolates along all three axes (trilinear)', () => {
  const x = randomVolume([2, 3, 2], 2, 12);
  const nearest = rt.upsample(toTensor(x), [2, 1, 3], 'nearest');
  assert.equal(nearest.shape, [1, 4, 3, 6, 2]);
  const n = nearest.dataSync();
  for (let d = 0; d < 4; d++) for (let h = 0; h < 3; h++) for (let w = 0; w < 6; w++) for (let c = 0; c < 2; c++) assert.ok(Math.abs(n[((d * 3 + h) * 6 + w) * 2 + c]! - at(x, d >> 1, h, Math.floor(w / 3), c)) < 1e-7);
  // Trilinear with half-pixel centres: separable, one axis at a time; source s = (o + ½)/f − ½, clamped.
  const taps = (size: number, f: number, o: number): [number, number, number] => {
    const s = (o + 0.5) / f - 0.5;
    const below = Math.floor(s);
    return [Math.min(Math.max(below, 0), size - 1), Math.min(Math.max(below + 1, 0), size - 1), s - below];
  };
  const tri = rt.upsample(toTensor(x), [2, 2, 2], 'bilinear');
  const t = tri.dataSync();
  for (let d = 0; d < 4; d++)
    for (let h = 0; h < 6; h++)
      for (let w = 0; w < 4; w++)
        for (let c = 0; c < 2; c++) {
          const [d0, d1, fd] = taps(2, 2, d);
          const [h0, h1, fh] = taps(3, 2, h);
          const [w0, w1, fw] = taps(2, 2, w);
          let expected = 0;
          for (const [dd, wd] of [[d0, 1 - fd], [d1, fd]] as const)
            for (const [hh, wh] of [[h0, 1 - fh], [h1, fh]] as const) for (const [ww, wwt] of [[w0, 1 - fw], [w1, fw]] as const) expected += wd * wh * wwt * at(x, dd, hh, ww, c);
          assert.ok(Math.abs(t[((d * 6 + h) * 4 + w) * 2 + c]! - expected) < 1e-6);
        }
  // Nearest's hand-written gradient sums each block of dy.
  const dx = tf.grad((a) => tf.sum(rt.upsample(a as tf.Tensor5D, [2, 1, 3], 'nearest')))(toTensor(x));
  assert.ok(maxAbsDiff(dx.dataSync(), new Float64Array(x.data.length).fill(6)) < 1e-6);
});

test('crop on a volume: the window at an offset; one that does not fit is GN9024', () => {
  const x = randomVolume([4, 5, 6], 1, 13);
  const got = rt.crop(toTensor(x), [1, 2, 3], [2, 3, 3]);
  assert.equal(got.shape, [1, 2, 3, 3, 1]);
  assert.ok(Math.abs(got.dataSync()[0]! - at(x, 1, 2, 3, 0)) < 1e-7);
  assert.throws(() => rt.crop(toTensor(x), [3, 0, 0], [2, 5, 6]), /GN9024/);
});

test.run();
