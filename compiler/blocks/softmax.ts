import { activationBlock } from './activation-base.js';

export const softmax = activationBlock({
  kind: 'softmax',
  summary: 'exp(x) normalised to sum to 1 over the last (channel) axis',
  apply: (x) => `tf.softmax(${x}, -1)`,
});
