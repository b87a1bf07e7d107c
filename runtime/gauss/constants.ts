import * as tf from '@tensorflow/tfjs-core';
import type { DerivativeOrder } from './basis.js';
import { hermiteCoefficients } from './hermite.js';

/**
 * Constant tensors the kernel bank of one (order, B, kh, kw) needs, laid out [axis, cell, kernel].
 * They depend on the layer's shape only, so they are built once and kept (a few tens of KiB per
 * layer shape) instead of being rebuilt and uploaded on every step.
 */
export interface KernelConstants {
  /** [1, kh·kw, 3]: per cell, the column offset x1, the row offset x2 and −1 (which picks up −μ). */
  readonly grid: tf.Tensor3D;
  /** Plane k: the coefficient of t^k in (−1)^d H_d(t), d the kernel's order on that axis (p, then q). */
  readonly planes: readonly tf.Tensor3D[];
  /** The same for the derivative polynomial: plane k holds (k + 1) · planes[k + 1]. */
  readonly slopePlanes: readonly tf.Tensor3D[];
  /** [kh·kw, 1] of ones, to spread per-kernel values over the cells with one matMul. */
  readonly onesColumn: tf.Tensor2D;
}

/**
 * Per backend instance: cached tensors live on the backend that made them, and one released and
 * started again (webgpu's release, then init) is a new instance whose tensors must be rebuilt.
 */
const caches = new WeakMap<tf.KernelBackend, Map<string, KernelConstants>>();

export function kernelConstants(orders: readonly DerivativeOrder[], bases: number, kh: number, kw: number): KernelConstants {
  const backend = tf.engine().backend;
  const cache = caches.get(backend) ?? new Map<string, KernelConstants>();
  caches.set(backend, cache);
  const key = `${orders.length}:${bases}:${kh}x${kw}`;
  const cached = cache.get(key);
  if (cached && !isDisposed(cached)) return cached;
  const built = buildConstants(orders, bases, kh, kw);
  // Kept: callers run inside tf.tidy, which would otherwise free the cached tensors.
  [built.grid, built.onesColumn, ...built.planes, ...built.slopePlanes].forEach((t) => tf.keep(t));
  cache.set(key, built);
  return built;
}

/** Another owner (tf.engine().reset(), disposeVariables in tests) may have freed them. */
function isDisposed(c: KernelConstants): boolean {
  return [c.grid, c.onesColumn, ...c.planes, ...c.slopePlanes].some((t) => t.isDisposed);
}

function buildConstants(orders: readonly DerivativeOrder[], bases: number, kh: number, kw: number): KernelConstants {
  const cells = kh * kw;
  const grid = new Float32Array(3 * cells);
  for (let cell = 0; cell < cells; cell++) {
    grid[3 * cell] = (cell % kw) - (kw - 1) / 2;
    grid[3 * cell + 1] = Math.floor(cell / kw) - (kh - 1) / 2;
    grid[3 * cell + 2] = -1;
  }
  const table = hermiteCoefficients(Math.max(...orders.map(({ p, q }) => p + q)));
  const signed = (degree: number, k: number): number => (table[degree][k] ?? 0) * (degree % 2 ? -1 : 1);
  const terms = table.length;
  return {
    grid: tf.tensor3d(grid, [1, cells, 3]),
    planes: Array.from({ length: terms }, (_, k) => coefficientPlane(orders, bases, cells, (d) => signed(d, k))),
    slopePlanes: Array.from({ length: terms - 1 }, (_, k) => coefficientPlane(orders, bases, cells, (d) => (k + 1) * signed(d, k + 1))),
    onesColumn: tf.ones([cells, 1]),
  };
}

/** [2, cells, B·Nk]: value(degree of kernel n on axis a), repeated over cells and bases. */
function coefficientPlane(orders: readonly DerivativeOrder[], bases: number, cells: number, value: (degree: number) => number): tf.Tensor3D {
  const kernels = bases * orders.length;
  const plane = new Float32Array(2 * cells * kernels);
  [orders.map(({ p }) => p), orders.map(({ q }) => q)].forEach((degrees, axis) => {
    const row = Float32Array.from({ length: kernels }, (_, kernel) => value(degrees[kernel % orders.length]));
    for (let cell = 0; cell < cells; cell++) plane.set(row, (axis * cells + cell) * kernels);
  });
  return tf.tensor3d(plane, [2, cells, kernels]);
}
