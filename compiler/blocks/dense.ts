/** Fully connected layer over the last axis (on a map it acts per pixel, like a 1×1 conv). */
import type { BlockDef } from './block.js';
import { bool, num } from './attr.js';
import { product } from './arith.js';
import { addBias, lit } from './emit-util.js';
import { channels } from './feature-map.js';
import { py, TORCH_CONV_NAMES } from './torch-util.js';
import { kernelAndBias } from './weights.js';

export const dense: BlockDef = {
  kind: 'dense',
  summary: 'fully connected layer on the last axis (kernel [in, units]); on an H×W×C map it acts per pixel',
  category: new Set(['parametric']),
  args: {
    units: { type: 'int', min: 1, doc: 'output size' },
    bias: { type: 'bool', default: true, doc: 'add a learned bias per unit' },
  },
  positional: ['units'],
  inputs: { min: 1, max: 1 },
  shape(inputs, attrs) {
    return [...inputs[0]!.slice(0, -1), num(attrs, 'units')];
  },
  params(inputs, attrs) {
    const units = num(attrs, 'units');
    return kernelAndBias([channels(inputs[0]!), units], units, bool(attrs, 'bias'));
  },
  macs(inputs, attrs) {
    return product(inputs[0]!) * num(attrs, 'units');
  },
  // On a vector every unit sees every input; on a map it is per pixel.
  receptiveField: (inputs) => (inputs[0]!.length === 1 ? { kind: 'global' } : { kind: 'identity' }),
  emit(ctx) {
    const [x, kernel] = [ctx.inputs[0]!, ctx.weight('kernel')];
    const matmul =
      ctx.inputShapes[0]!.length === 1
        ? `tf.matMul(${x}, ${kernel})`
        : `tf.reshape(tf.matMul(tf.reshape(${x}, [-1, ${lit(channels(ctx.inputShapes[0]!))}]), ${kernel}), ${lit([-1, ...ctx.outShape])})`;
    return addBias(matmul, ctx, bool(ctx.attrs, 'bias'));
  },
  emitTorch(ctx) {
    const units = num(ctx.attrs, 'units');
    return { layer: `gt.Dense(${channels(ctx.inputShapes[0]!)}, ${units}, bias=${py(bool(ctx.attrs, 'bias'))})`, layouts: { kernel: 'io' }, names: TORCH_CONV_NAMES };
  },
};
