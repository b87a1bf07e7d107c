import { activationBlock } from './activation-base.js';
import { bindInput } from './emit-util.js';

export const swish = activationBlock({
  kind: 'swish',
  summary: 'x · sigmoid(x) (also called SiLU)',
  apply: (x) => bindInput(x, (v) => `tf.mul(${v}, tf.sigmoid(${v}))`),
});
