import { activationBlock } from './activation-base.js';

export const softplus = activationBlock({
  kind: 'softplus',
  summary: 'log(1 + exp(x))',
  apply: (x) => `tf.softplus(${x})`,
});
