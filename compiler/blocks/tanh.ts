import { activationBlock } from './activation-base.js';

export const tanh = activationBlock({
  kind: 'tanh',
  summary: 'hyperbolic tangent',
  apply: (x) => `tf.tanh(${x})`,
});
