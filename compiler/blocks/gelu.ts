import { activationBlock } from './activation-base.js';
import { bindInput } from './emit-util.js';

/** Exact form (Keras' default approximate = false): tfjs-core has erf but no gelu op. */
export const gelu = activationBlock({
  kind: 'gelu',
  summary: 'x · Φ(x) = 0.5 · x · (1 + erf(x / √2)), the exact Gaussian error linear unit',
  apply: (x) => bindInput(x, (v) => `tf.mul(tf.mul(${v}, 0.5), tf.add(tf.erf(tf.mul(${v}, ${Math.SQRT1_2})), 1))`),
});
