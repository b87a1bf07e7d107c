import { activationBlock } from './activation-base.js';

export const elu = activationBlock({
  kind: 'elu',
  summary: 'x for x > 0, exp(x) − 1 otherwise',
  apply: (x) => `tf.elu(${x})`,
});
