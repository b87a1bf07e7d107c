import * as tf from '@tensorflow/tfjs-core';
import { hermiteCoefficients } from './hermite.js';

/**
 * Constant tensors the kernel bank of one (order, B, kernel size) needs, laid out [axis, cell, kernel].
 * They depend on the layer's shape only, so they are built once and kept (a few tens of KiB per
 * layer shape) instead of being rebuilt and uploaded on every step. A axes: 2 on an image, 3 on a
 * volume, 1 for the 1-D factors of an unrotated volume kernel.
 */
export interface KernelConstants {
  /**
   * [1, cells, A + 1]: per cell, its offsets x1 (along the last axis: columns), x2 (rows), x3 (slices)
   * from the centre, then −1 (which picks up −μ).
   */
  readonly grid: tf.Tensor3D;
  /** Plane k: the coefficient of t^k in (−1)^d H_d(t), d the kernel's order on that axis (p, q, then r). */
  readonly planes: readonly tf.Tensor3D[];
  /** The same for the derivative polynomial: plane k holds (k + 1) · planes[k + 1]. */
  readonly slopePlanes: readonly tf.Tensor3D[];
  /** [cells, 1] of ones, to spread per-kernel values over the cells with one matMul. */
  readonly onesColumn: tf.Tensor2D;
}

/**
 * Per backend instance: cached tensors live on the backend that made them, and one released and
 * started again (webgpu's release, then init) is a new instance whose tensors must be rebuilt.
 */
const caches = new WeakMap<tf.KernelBackend, Map<string, KernelConstants>>();

/** `degrees[n][a]`: the derivative order of basis kernel n along axis a (x1, x2[, x3]); `size` the kernel's extent in tensor order ([kh, kw] or [kd, kh, kw]). */
export function kernelConstants(degrees: readonly (readonly number[])[], bases: number, size: readonly number[]): KernelConstants {
  const backend = tf.engine().backend;
  const cache = caches.get(backend) ?? new Map<string, KernelConstants>();
  caches.set(backend, cache);
  const key = `${JSON.stringify(degrees)}:${bases}:${size.join('x')}`;
  const cached = cache.get(key);
  if (cached && !isDisposed(cached)) return cached;
  const built = buildConstants(degrees, bases, size);
  // Kept: callers run inside tf.tidy, which would otherwise free the cached tensors.
  [built.grid, built.onesColumn, ...built.planes, ...built.slopePlanes].forEach((t) => tf.keep(t));
  cache.set(key, built);
  return built;
}

/** Another owner (tf.engine().reset(), disposeVariables in tests) may have freed them. */
function isDisposed(c: KernelConstants): boolean {
  return [c.grid, c.onesColumn, ...c.planes, ...c.slopePlanes].some((t) => t.isDisposed);
}

function buildConstants(degrees: readonly (readonly number[])[], bases: number, size: readonly number[]): KernelConstants {
  const axes = size.length;
  const cells = size.reduce((a, b) => a * b, 1);
  const grid = new Float32Array((axes + 1) * cells);
  for (let cell = 0; cell < cells; cell++) {
    // Axis a (x1 = the last tensor axis) of this cell: its index along tensor axis axes − 1 − a.
    let rest = cell;
    for (let t = axes - 1; t >= 0; t--) {
      grid[(axes + 1) * cell + (axes - 1 - t)] = (rest % size[t]!) - (size[t]! - 1) / 2;
      rest = Math.floor(rest / size[t]!);
    }
    grid[(axes + 1) * cell + axes] = -1;
  }
  const table = hermiteCoefficients(Math.max(...degrees.map((d) => d.reduce((a, b) => a + b, 0))));
  const signed = (degree: number, k: number): number => (table[degree][k] ?? 0) * (degree % 2 ? -1 : 1);
  const terms = table.length;
  return {
    grid: tf.tensor3d(grid, [1, cells, axes + 1]),
    planes: Array.from({ length: terms }, (_, k) => coefficientPlane(degrees, axes, bases, cells, (d) => signed(d, k))),
    slopePlanes: Array.from({ length: terms - 1 }, (_, k) => coefficientPlane(degrees, axes, bases, cells, (d) => (k + 1) * signed(d, k + 1))),
    onesColumn: tf.ones([cells, 1]),
  };
}

/** [A, cells, B·Nk]: value(degree of kernel n on axis a), repeated over cells and bases. */
function coefficientPlane(degrees: readonly (readonly number[])[], axes: number, bases: number, cells: number, value: (degree: number) => number): tf.Tensor3D {
  const kernels = bases * degrees.length;
  const plane = new Float32Array(axes * cells * kernels);
  for (let axis = 0; axis < axes; axis++) {
    const row = Float32Array.from({ length: kernels }, (_, kernel) => value(degrees[kernel % degrees.length]![axis]!));
    for (let cell = 0; cell < cells; cell++) plane.set(row, (axis * cells + cell) * kernels);
  }
  return tf.tensor3d(plane, [axes, cells, kernels]);
}
