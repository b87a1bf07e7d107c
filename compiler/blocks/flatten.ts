/** H×W×C → H·W·C, row-major (the order Keras and tfjs use for NHWC). */
import type { BlockDef } from './block.js';
import { product } from './arith.js';
import { lit } from './emit-util.js';

export const flatten: BlockDef = {
  kind: 'flatten',
  summary: 'reshape to a vector: H×W×C → H·W·C',
  category: new Set(),
  args: {},
  positional: [],
  inputs: { min: 1, max: 1 },
  shape: (inputs) => [product(inputs[0]!)],
  params: () => [],
  macs: () => 0,
  // Each output value is one input value; what follows (dense) makes the field global.
  receptiveField: () => ({ kind: 'identity' }),
  emit: (ctx) => `tf.reshape(${ctx.inputs[0]}, ${lit([-1, product(ctx.inputShapes[0]!)])})`,
  // Flattens in gnet's NHWC order, so a following dense kernel only needs transposing.
  emitTorch: () => ({ layer: 'gt.Flatten()' }),
};
