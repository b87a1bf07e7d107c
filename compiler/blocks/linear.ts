import { activationBlock } from './activation-base.js';

export const linear = activationBlock({
  kind: 'linear',
  summary: 'identity (no activation)',
  apply: (x) => x,
});
