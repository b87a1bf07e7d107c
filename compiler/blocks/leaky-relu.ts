import { activationBlock } from './activation-base.js';
import { num } from './attr.js';
import { lit } from './emit-util.js';
import { py } from './torch-util.js';

export const leaky_relu = activationBlock({
  kind: 'leaky_relu',
  summary: 'x for x > 0, alpha · x otherwise',
  args: { alpha: { type: 'float', default: 0.2, min: 0, doc: 'slope for negative inputs' } },
  positional: ['alpha'],
  apply: (x, attrs) => `tf.leakyRelu(${x}, ${lit(num(attrs, 'alpha'))})`,
  torchArgs: (attrs) => `alpha=${py(num(attrs, 'alpha'))}`,
});
