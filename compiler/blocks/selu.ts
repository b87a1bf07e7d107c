import { activationBlock } from './activation-base.js';

export const selu = activationBlock({
  kind: 'selu',
  summary: 'scaled elu (self-normalising, Klambauer et al. 2017)',
  apply: (x) => `tf.selu(${x})`,
});
