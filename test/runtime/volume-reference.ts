/**
 * Independent float64 references for 3-D ops, in plain loops over one example (no tfjs): volumes are
 * flat row-major [D, H, W, C] arrays; kernels [kd, kh, kw, in, out].
 */
export type Dims = readonly [number, number, number];

export interface Volume {
  readonly dims: Dims;
  readonly channels: number;
  readonly data: Float64Array;
}

export const at = (v: Volume, d: number, h: number, w: number, c: number): number => v.data[((d * v.dims[1] + h) * v.dims[2] + w) * v.channels + c]!;

export function volume(dims: Dims, channels: number, fill: (i: number) => number): Volume {
  return { dims, channels, data: Float64Array.from({ length: dims[0] * dims[1] * dims[2] * channels }, (_, i) => fill(i)) };
}

/** Cross-correlation (TensorFlow's convolution), zero padding `pads[a] = [before, after]`, groups, dilation. */
export function conv3dRef(x: Volume, kernel: Float64Array, k: Dims, outC: number, stride: Dims, pads: readonly (readonly [number, number])[], dilation: Dims, groups: number): Volume {
  const inPer = x.channels / groups;
  const outPer = outC / groups;
  const outDims = [0, 1, 2].map((a) => Math.floor((x.dims[a]! + pads[a]![0] + pads[a]![1] - ((k[a]! - 1) * dilation[a]! + 1)) / stride[a]!) + 1) as unknown as Dims;
  const out = volume(outDims, outC, () => 0);
  const idx = (d: number, h: number, w: number, c: number) => ((d * outDims[1] + h) * outDims[2] + w) * outC + c;
  for (let od = 0; od < outDims[0]; od++)
    for (let oh = 0; oh < outDims[1]; oh++)
      for (let ow = 0; ow < outDims[2]; ow++)
        for (let o = 0; o < outC; o++) {
          const g = Math.floor(o / outPer);
          let sum = 0;
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++)
              for (let c = 0; c < k[2]; c++) {
                const [d, h, w] = [od * stride[0] - pads[0]![0] + a * dilation[0], oh * stride[1] - pads[1]![0] + b * dilation[1], ow * stride[2] - pads[2]![0] + c * dilation[2]];
                if (d < 0 || h < 0 || w < 0 || d >= x.dims[0] || h >= x.dims[1] || w >= x.dims[2]) continue;
                for (let i = 0; i < inPer; i++) sum += at(x, d, h, w, g * inPer + i) * kernel[(((a * k[1] + b) * k[2] + c) * inPer + i) * outC + o]!;
              }
          out.data[idx(od, oh, ow, o)] = sum;
        }
  return out;
}

/** Transposed convolution by scattering: input i adds x[i]·w[t] at output i·s + t − crop (kernel [kd, kh, kw, out, in]). */
export function convTranspose3dRef(x: Volume, kernel: Float64Array, k: Dims, outC: number, stride: Dims, outDims: Dims, crop: Dims): Volume {
  const out = volume(outDims, outC, () => 0);
  for (let d = 0; d < x.dims[0]; d++)
    for (let h = 0; h < x.dims[1]; h++)
      for (let w = 0; w < x.dims[2]; w++)
        for (let a = 0; a < k[0]; a++)
          for (let b = 0; b < k[1]; b++)
            for (let c = 0; c < k[2]; c++) {
              const [od, oh, ow] = [d * stride[0] + a - crop[0], h * stride[1] + b - crop[1], w * stride[2] + c - crop[2]];
              if (od < 0 || oh < 0 || ow < 0 || od >= outDims[0] || oh >= outDims[1] || ow >= outDims[2]) continue;
              for (let o = 0; o < outC; o++)
                for (let i = 0; i < x.channels; i++) {
                  out.data[((od * outDims[1] + oh) * outDims[2] + ow) * outC + o] += at(x, d, h, w, i) * kernel[(((a * k[1] + b) * k[2] + c) * outC + o) * x.channels + i]!;
                }
            }
  return out;
}

/** Max or mean over each window of real cells (padding never counts), per channel. */
export function pool3dRef(x: Volume, op: 'max' | 'mean', k: Dims, stride: Dims, pads: readonly (readonly [number, number])[]): Volume {
  const outDims = [0, 1, 2].map((a) => Math.floor((x.dims[a]! + pads[a]![0] + pads[a]![1] - k[a]!) / stride[a]!) + 1) as unknown as Dims;
  const out = volume(outDims, x.channels, () => 0);
  for (let od = 0; od < outDims[0]; od++)
    for (let oh = 0; oh < outDims[1]; oh++)
      for (let ow = 0; ow < outDims[2]; ow++)
        for (let ch = 0; ch < x.channels; ch++) {
          const values: number[] = [];
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++)
              for (let c = 0; c < k[2]; c++) {
                const [d, h, w] = [od * stride[0] - pads[0]![0] + a, oh * stride[1] - pads[1]![0] + b, ow * stride[2] - pads[2]![0] + c];
                if (d >= 0 && h >= 0 && w >= 0 && d < x.dims[0] && h < x.dims[1] && w < x.dims[2]) values.push(at(x, d, h, w, ch));
              }
          out.data[((od * outDims[1] + oh) * outDims[2] + ow) * x.channels + ch] = op === 'max' ? Math.max(...values) : values.reduce((s, v) => s + v, 0) / values.length;
        }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * The gradient of the linear function x ↦ Σ r·f(x) at every input: f(e_i)·r for each unit vector,
 * computed with the reference itself (exact for linear maps).
 */
export function linearGradient(size: number, r: ArrayLike<number>, f: (x: Float64Array) => ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: size }, (_, i) => {
    const unit = new Float64Array(size);
    unit[i] = 1;
    const y = f(unit);
    let sum = 0;
    for (let j = 0; j < y.length; j++) sum += y[j]! * r[j]!;
    return sum;
  });
}
