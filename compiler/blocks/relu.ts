import { activationBlock } from './activation-base.js';

export const relu = activationBlock({
  kind: 'relu',
  summary: 'max(x, 0)',
  apply: (x) => `tf.relu(${x})`,
});
