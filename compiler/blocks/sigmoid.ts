import { activationBlock } from './activation-base.js';

export const sigmoid = activationBlock({
  kind: 'sigmoid',
  summary: '1 / (1 + exp(−x))',
  apply: (x) => `tf.sigmoid(${x})`,
});
