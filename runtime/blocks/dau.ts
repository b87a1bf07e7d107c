import * as tf from '@tensorflow/tfjs-core';

/** A dau block's weights (compiler/blocks/dau.ts): per input channel i, output channel o and unit k. */
export interface DauWeights {
  /** [in, out, units] */
  readonly weight: tf.Tensor;
  /** [in, out, units, 2]: (row, column) of each unit, 0 at the window's centre. */
  readonly mu: tf.Tensor;
  /** [in, out, units] */
  readonly sigma: tf.Tensor;
}

/**
 * The convolution kernel [kh, kw, in, out] of displaced aggregation units: per filter the sum over its
 * units of w · G(x − μ; σ) normalised to sum 1 over the window. The normalised blob is a softmax of
 * −|x − μ|² / 2σ² over the window's positions, which stays finite when a unit drifts far outside it.
 */
export function dauKernel(weights: DauWeights, size: readonly [number, number] | readonly number[]): tf.Tensor4D {
  const [kh, kw] = [size[0]!, size[1]!];
  return tf.tidy(() => {
    const [fIn, fOut, units] = weights.weight.shape as [number, number, number];
    const rows = Array.from({ length: kh * kw }, (_, p) => Math.floor(p / kw) - (kh - 1) / 2);
    const cols = Array.from({ length: kh * kw }, (_, p) => (p % kw) - (kw - 1) / 2);
    const [muRow, muCol] = tf.split(weights.mu, 2, 3).map((m) => m as tf.Tensor4D); // [in, out, units, 1]
    const dr = tf.sub(tf.tensor1d(rows), muRow);
    const dc = tf.sub(tf.tensor1d(cols), muCol); // [in, out, units, positions]
    const twoVariance = tf.mul(2, tf.square(tf.expandDims(weights.sigma, 3)));
    const blobs = tf.softmax(tf.neg(tf.div(tf.add(tf.square(dr), tf.square(dc)), twoVariance)));
    const filters = tf.sum(tf.mul(blobs, tf.expandDims(weights.weight, 3)), 2); // [in, out, positions]
    return tf.transpose(tf.reshape(filters, [fIn, fOut, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
  });
}
