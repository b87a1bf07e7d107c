/**
 * One valid configuration of every block on a volume (the Record type makes a new block without one a
 * type error), but dau, which is defined in the image plane (GN0316).
 */
import type { BlockKind } from '../../compiler/blocks/index.js';
import type { Sample } from './samples.js';

const volume = [[6, 6, 6, 4]] as const;
const plain = (args: Sample['args'] = {}): Sample => ({ args, inputs: volume });

export const VOLUME_SAMPLES: Record<Exclude<BlockKind, 'dau'>, Sample> = {
  conv: plain({ filters: 6, stride: 2, padding: 'valid', round: 'floor' }),
  depthwise: plain({ multiplier: 2, padding: 1, dilation: [1, 2, 1] }),
  conv_transpose: plain({ filters: 3, size: 3, stride: 2, padding: 1 }),
  gauss: plain({ filters: 6, size: 3, bases: 2, bias: true }),
  maxpool: plain({ size: 3, stride: 2, round: 'ceil' }),
  avgpool: plain({ size: [1, 2, 2], padding: 'same' }),
  global_avgpool: plain(),
  global_maxpool: plain({ keepdims: true }),
  upsample: plain({ factor: [2, 1, 2], mode: 'bilinear' }),
  dense: plain({ units: 5 }),
  flatten: plain(),
  batchnorm: plain(),
  groupnorm: plain({ groups: 2 }),
  instancenorm: plain(),
  dropout: plain({ rate: 0.25 }),
  relu: plain(),
  relu6: plain(),
  sigmoid: plain(),
  tanh: plain(),
  softmax: plain(),
  elu: plain(),
  selu: plain(),
  gelu: plain(),
  swish: plain(),
  softplus: plain(),
  linear: plain(),
  leaky_relu: plain({ alpha: 0.1 }),
  add: { args: {}, inputs: [volume[0], volume[0]] },
  multiply: { args: {}, inputs: [volume[0], volume[0]] },
  concat: { args: {}, inputs: [volume[0], [6, 6, 6, 2]] },
  crop: { args: {}, inputs: [volume[0], [4, 5, 3, 1]] },
  se: plain({ ratio: 2 }),
  fre: plain({ count: 2 }),
};
