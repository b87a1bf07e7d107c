import * as tf from '@tensorflow/tfjs-core';

/**
 * Coefficients of the physicists' Hermite polynomials H_0 … H_order: result[p][k] multiplies t^k in
 * H_p. Built by the recurrence H_0 = 1, H_1 = 2t, H_{n+1} = 2t·H_n − 2n·H_{n−1}.
 */
export function hermiteCoefficients(order: number): number[][] {
  const table: number[][] = [[1]];
  if (order >= 1) table.push([0, 2]);
  for (let n = 1; n < order; n++) {
    const next = new Array<number>(n + 2).fill(0);
    table[n].forEach((c, k) => (next[k + 1] += 2 * c));
    table[n - 1].forEach((c, k) => (next[k] -= 2 * n * c));
    table.push(next);
  }
  return table;
}

/**
 * Σ_k planes[k] ⊙ t^k by Horner's rule, where planes[k] has t's shape: every element evaluates its
 * own polynomial, so kernels of different orders share one tensor and 2·K ops. The gradient is the
 * derivative polynomial (planes (k+1)·planes[k+1], passed in as `slopePlanes`), again by Horner —
 * cheaper than differentiating each Horner step. Needs degree ≥ 1 (two planes or more).
 */
export function evaluatePolynomial(t: tf.Tensor, planes: readonly tf.Tensor[], slopePlanes: readonly tf.Tensor[]): tf.Tensor {
  const polynomial = tf.customGrad<tf.Tensor>((...inputs) => {
    const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return { value: horner(x, planes), gradFunc: (dy, [saved]) => tf.mul(dy, horner(saved, slopePlanes)) };
  });
  return polynomial(t);
}

function horner(t: tf.Tensor, planes: readonly tf.Tensor[]): tf.Tensor {
  let value = planes[planes.length - 1];
  for (let k = planes.length - 2; k >= 0; k--) value = tf.add(tf.mul(value, t), planes[k]);
  return value;
}
