/** One valid configuration of every block (the Record type makes a new block without a sample a type error). */
import type { Shape } from '../../compiler/ir/ir.js';
import type { BlockKind } from '../../compiler/blocks/index.js';
import type { Args } from './harness.js';

export interface Sample {
  readonly args: Args;
  readonly inputs: readonly Shape[];
}

const map: readonly Shape[] = [[8, 8, 4]];
const plain = (args: Args = {}): Sample => ({ args, inputs: map });

export const SAMPLES: Record<BlockKind, Sample> = {
  conv: plain({ filters: 6, stride: 2, padding: 'valid', round: 'floor' }),
  depthwise: plain({ multiplier: 2, padding: 1 }),
  conv_transpose: plain({ filters: 3, size: 3, stride: 2 }),
  gauss: plain({ filters: 6, size: 5, bases: 2, bias: true }),
  dau: plain({ filters: 6, size: 5, units: 3, stride: 2, bias: true }),
  maxpool: plain({ size: 3, stride: 2, round: 'ceil' }),
  avgpool: plain({ size: 2, padding: 'same' }),
  global_avgpool: plain(),
  global_maxpool: plain({ keepdims: true }),
  upsample: plain({ factor: [2, 3], mode: 'bilinear' }),
  dense: plain({ units: 5 }),
  flatten: plain(),
  batchnorm: plain(),
  groupnorm: plain({ groups: 2 }),
  instancenorm: plain({ scale: false }),
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
  add: { args: {}, inputs: [map[0]!, map[0]!, map[0]!] },
  multiply: { args: {}, inputs: [map[0]!, map[0]!] },
  concat: { args: {}, inputs: [map[0]!, [8, 8, 2]] },
  crop: { args: {}, inputs: [map[0]!, [5, 6, 1]] },
  se: plain({ ratio: 2 }),
  fre: plain({ count: 2 }),
};
