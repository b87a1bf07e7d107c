import { elementwiseMergeBlock } from './merge-base.js';

export const multiply = elementwiseMergeBlock({
  kind: 'multiply',
  summary: 'product of two or more tensors of identical shape (gating)',
  combine: (inputs) => inputs.slice(1).reduce((product, x) => `tf.mul(${product}, ${x})`, inputs[0]!),
  torchLayer: 'Multiply',
});
