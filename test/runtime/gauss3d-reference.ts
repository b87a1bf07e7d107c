/**
 * Independent float64 reference for the volume gauss kernels, written from docs/gauss-layer.md §10 in
 * plain numbers: the three elementary rotations as matrices multiplied out, the explicit Hermite sum
 * (reference.ts), the basis order as the page lists it.
 */
import { gaussDerivative } from './reference.js';

export interface VolumeKernelParams {
  readonly sigma: readonly [number, number, number];
  readonly mu: readonly [number, number, number];
  readonly theta: readonly [number, number, number];
}

type Matrix = number[][];

const multiply = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * b[k]![j]!, 0)));

/** A turn by t in the plane of axes (i, j): (a, b) ↦ (a cos t + b sin t, −a sin t + b cos t). */
function turn(i: number, j: number, t: number): Matrix {
  const m = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  [m[i]![i], m[i]![j], m[j]![i], m[j]![j]] = [Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)];
  return m;
}

/** R(θ) = R_23(θ3) · R_13(θ2) · R_12(θ1). */
export function rotation([t1, t2, t3]: readonly [number, number, number]): Matrix {
  return multiply(turn(1, 2, t3), multiply(turn(0, 2, t2), turn(0, 1, t1)));
}

export function volumeKernelValue([p, q, r]: readonly number[], k: VolumeKernelParams, x: readonly [number, number, number]): number {
  const R = rotation(k.theta);
  const y = R.map((row, a) => row.reduce((sum, v, b) => sum + v * x[b]!, 0) - k.mu[a]!);
  return gaussDerivative(p!, y[0]!, k.sigma[0]) * gaussDerivative(q!, y[1]!, k.sigma[1]) * gaussDerivative(r!, y[2]!, k.sigma[2]);
}

/** (p, q, r) of a volume basis of order K, as the page lists them. */
export function volumeDegrees(order: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i <= order; i++) for (let r = 0; r <= i; r++) for (let j = 0; j <= i - r; j++) out.push([j, i - r - j, r]);
  return out;
}

/** params[b][n] → flat [kd, kh, kw, B, Nk]; cell (d, h, w) sits at x = (w − (kw−1)/2, h − (kh−1)/2, d − (kd−1)/2). */
export function volumeKernelBank(params: readonly (readonly VolumeKernelParams[])[], order: number, [kd, kh, kw]: readonly [number, number, number]): Float64Array {
  const degrees = volumeDegrees(order);
  const bases = params.length;
  const out = new Float64Array(kd * kh * kw * bases * degrees.length);
  for (let d = 0; d < kd; d++)
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++)
        params.forEach((basis, b) =>
          basis.forEach((k, n) => {
            const x: [number, number, number] = [w - (kw - 1) / 2, h - (kh - 1) / 2, d - (kd - 1) / 2];
            out[(((d * kh + h) * kw + w) * bases + b) * degrees.length + n] = volumeKernelValue(degrees[n]!, k, x);
          }),
        );
  return out;
}
