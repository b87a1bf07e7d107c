/**
 * Independent float64 references for the runtime tests, written from docs/gauss-layer.md in plain
 * numbers (no tfjs, no runtime code): the explicit Hermite sum, the rotated/shifted kernel, and a
 * literal single-channel convolution for the layer equations.
 */

export interface KernelParams {
  readonly sigma1: number;
  readonly sigma2: number;
  readonly mu1: number;
  readonly mu2: number;
  readonly theta: number;
}

/** Physicists' Hermite by the explicit sum Σ_i (−1)^i p! / (i!(p−2i)!) (2t)^(p−2i). */
export function hermite(p: number, t: number): number {
  let sum = 0;
  for (let i = 0; i <= Math.floor(p / 2); i++) {
    sum += ((-1) ** i * factorial(p)) / (factorial(i) * factorial(p - 2 * i)) * (2 * t) ** (p - 2 * i);
  }
  return sum;
}

export function gaussian(y: number, sigma: number): number {
  return Math.exp(-(y * y) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
}

/** G_p(y, σ) = (−1/(√2σ))^p H_p(y/(√2σ)) G(y, σ). */
export function gaussDerivative(p: number, y: number, sigma: number): number {
  const s = Math.SQRT2 * sigma;
  return (-1 / s) ** p * hermite(p, y / s) * gaussian(y, sigma);
}

/** Rotated, shifted coordinates of grid point (x1, x2). */
export function kernelCoordinates(k: KernelParams, x1: number, x2: number): [number, number] {
  const c = Math.cos(k.theta);
  const s = Math.sin(k.theta);
  return [x1 * c + x2 * s - k.mu1, -x1 * s + x2 * c - k.mu2];
}

export function kernelValue(p: number, q: number, k: KernelParams, x1: number, x2: number): number {
  const [y1, y2] = kernelCoordinates(k, x1, x2);
  return gaussDerivative(p, y1, k.sigma1) * gaussDerivative(q, y2, k.sigma2);
}

/** (p, q) pairs of a basis of order K, per docs/gauss-layer.md §2. */
export function orderPairs(order: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i <= order; i++) for (let j = 0; j <= i; j++) pairs.push([j, i - j]);
  return pairs;
}

/** One kernel as rows × columns; row r sits at x2 = r − (kh−1)/2, column c at x1 = c − (kw−1)/2. */
export function kernelGrid(p: number, q: number, k: KernelParams, kh: number, kw: number): number[][] {
  return Array.from({ length: kh }, (_, r) => Array.from({ length: kw }, (_, c) => kernelValue(p, q, k, c - (kw - 1) / 2, r - (kh - 1) / 2)));
}

/** params[b][n] → flat [kh, kw, B, Nk] in row-major order. */
export function kernelBank(params: KernelParams[][], order: number, kh: number, kw: number): number[] {
  const pairs = orderPairs(order);
  const bases = params.length;
  const out = new Array<number>(kh * kw * bases * pairs.length);
  params.forEach((basis, b) =>
    basis.forEach((k, n) => {
      const grid = kernelGrid(pairs[n][0], pairs[n][1], k, kh, kw);
      for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) out[((r * kw + c) * bases + b) * pairs.length + n] = grid[r][c];
    }),
  );
  return out;
}

export type RefPadding = 'same' | 'valid' | readonly [number, number];

/** TF conventions: 'same' gives ceil(in/s) and puts the smaller half of the padding first. */
export function convGeometry(size: number, k: number, stride: number, padding: RefPadding, axis: 0 | 1): { out: number; before: number } {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const before = padding === 'valid' ? 0 : padding[axis];
  return { out: Math.floor((size + 2 * before - k) / stride) + 1, before };
}

/** Cross-correlation of one plane (H×W) with one kernel (kh×kw), zero padding. */
export function correlate(plane: number[][], kernel: number[][], stride: readonly [number, number], padding: RefPadding): number[][] {
  const [h, w] = [plane.length, plane[0].length];
  const [kh, kw] = [kernel.length, kernel[0].length];
  const rows = convGeometry(h, kh, stride[0], padding, 0);
  const cols = convGeometry(w, kw, stride[1], padding, 1);
  return Array.from({ length: rows.out }, (_, o) =>
    Array.from({ length: cols.out }, (_, v) => {
      let sum = 0;
      for (let r = 0; r < kh; r++) {
        const y = o * stride[0] - rows.before + r;
        if (y < 0 || y >= h) continue;
        for (let c = 0; c < kw; c++) {
          const x = v * stride[1] - cols.before + c;
          if (x >= 0 && x < w) sum += plane[y][x] * kernel[r][c];
        }
      }
      return sum;
    }),
  );
}

export function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Small deterministic generator for test data (independent of the runtime's RNG). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function maxAbs(a: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]));
  return worst;
}
