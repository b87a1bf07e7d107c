import { elementwiseMergeBlock } from './merge-base.js';

export const add = elementwiseMergeBlock({
  kind: 'add',
  summary: 'sum of two or more tensors of identical shape (residual connections)',
  combine: (inputs) => `tf.addN([${inputs.join(', ')}])`,
  torchLayer: 'Add',
});
