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

export function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0) {
    throw new GnetError('GN9010', `gauss order ${order} is not a non-negative integer; use an order from 0 to 4`);
  }
}
