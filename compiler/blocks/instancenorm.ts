/** Instance normalisation (Ulyanov et al. 2016): group normalisation with one channel per group. */
import { channels } from './feature-map.js';
import { groupNormBlock } from './groupnorm.js';

export const instancenorm = groupNormBlock(
  'instancenorm',
  'instance normalisation: per example and channel, normalise over the positions, then γ, β per channel (no batch statistics)',
  {},
  [],
  (input) => channels(input),
);
