import { GnetError } from '../errors.js';

/** Derivative orders (p along x1 / width, q along x2 / height) of one kernel. */
export interface DerivativeOrder {
  readonly p: number;
  readonly q: number;
}

/** Kernels in one basis of order K: every (p, q) with p + q ≤ K. */
export function basisSize(order: number): number {
  return ((order + 1) * (order + 2)) / 2;
}

/** The basis' kernels in the order of docs/gauss-layer.md §2: for i = 0..K, for j = 0..i: (p, q) = (j, i − j). */
export function basisOrders(order: number): DerivativeOrder[] {
  checkOrder(order);
  const orders: DerivativeOrder[] = [];
  for (let i = 0; i <= order; i++) {
    for (let j = 0; j <= i; j++) orders.push({ p: j, q: i - j });
  }
  return orders;
}

/** Kernels in one volume basis of order K: every (p, q, r) with p + q + r ≤ K. */
export function basisSize3d(order: number): number {
  return ((order + 1) * (order + 2) * (order + 3)) / 6;
}

/**
 * A volume basis' kernels, as degrees [p, q, r] along (x1 = width, x2 = height, x3 = depth), in the
 * order of docs/gauss-layer.md §10: for i = 0..K, for r = 0..i, for j = 0..i − r: (j, i − r − j, r).
 * Its kernels with r = 0 come in the image basis' order.
 */
export function basisDegrees3d(order: number): [number, number, number][] {
  checkOrder(order);
  const degrees: [number, number, number][] = [];
  for (let i = 0; i <= order; i++) {
    for (let r = 0; r <= i; r++) for (let j = 0; j <= i - r; j++) degrees.push([j, i - r - j, r]);
  }
  return degrees;
}

export function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0) {
    throw new GnetError('GN9010', `gauss order ${order} is not a non-negative integer; use an order from 0 to 4`);
  }
}
