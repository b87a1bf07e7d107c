/**
 * sin and cos to float32 accuracy from arithmetic alone. WGSL only asks sin/cos to be within 2^-11
 * absolutely on [−π, π], and drivers use that slack (Chromium's SwiftShader is off by 2e-4), enough
 * to move gauss-layer gradients, whose orientations θ go through cos and sin, by 1e-3 relative.
 * Written as tfjs ops (elementwise, exact or correctly rounded on every WebGPU device).
 */
import * as tf from '@tensorflow/tfjs-core';

/** π/2 split in three (Cody–Waite): k·P1 is exact for |k| < 2^16, so x − k·π/2 keeps its precision. */
const HALF_PI = [1.5703125, 4.837512969970703125e-4, 7.549789948768648e-8] as const;

/** Taylor coefficients, enough for |r| ≤ π/4 to 3e-8. */
const SIN_TERMS = [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880];
const COS_TERMS = [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320];

/** Σ terms[i]·s^i by Horner's rule, s a tensor. */
function polynomial(s: tf.Tensor, terms: readonly number[]): tf.Tensor {
  return terms.slice(0, -1).reduceRight<tf.Tensor>((acc, term) => tf.add(tf.mul(acc, s), term), tf.fill(s.shape, terms.at(-1)!));
}

/** sin(x + quarter·π/2): quarter 0 gives sin, 1 gives cos. */
export function preciseSine(x: tf.Tensor, quarter: 0 | 1): tf.Tensor {
  const k = tf.round(tf.div(x, Math.PI / 2));
  const r = HALF_PI.reduce<tf.Tensor>((rest, part) => tf.sub(rest, tf.mul(k, part)), x);
  const r2 = tf.square(r);
  const sine = tf.mul(r, polynomial(r2, SIN_TERMS));
  const cosine = polynomial(r2, COS_TERMS);
  // x + quarter·π/2 = r + (k + quarter)·π/2; quadrant q = (k + quarter) mod 4 picks ±sin r or ±cos r.
  const q = tf.mod(tf.add(k, quarter), 4);
  const odd = tf.mod(q, 2);
  const sign = tf.sub(1, tf.mul(tf.floor(tf.div(q, 2)), 2));
  return tf.mul(sign, tf.add(tf.mul(odd, cosine), tf.mul(tf.sub(1, odd), sine)));
}
