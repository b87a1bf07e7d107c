import { activationBlock } from './activation-base.js';

export const relu6 = activationBlock({
  kind: 'relu6',
  summary: 'min(max(x, 0), 6)',
  apply: (x) => `tf.relu6(${x})`,
});
