/** Centre crop to another tensor's H×W (valid-padding U-Net skips) or to a fixed size. */
import type { Attrs, Shape } from '../ir/ir.js';
import type { BlockDef, Pair, ShapeContext } from './block.js';
import { optionalPair, pair } from './attr.js';
import { lit } from './emit-util.js';
import { requireFeatureMap } from './feature-map.js';
import { dims, shapeText } from './text.js';
import { py } from './torch-util.js';

/** The target H×W: from `like` (second input) when given, else from `size`. */
function target(inputs: readonly Shape[], attrs: Attrs): Pair {
  return inputs.length > 1 ? [inputs[1]![0]!, inputs[1]![1]!] : pair(attrs, 'size');
}

/** Centre offset; an odd leftover leaves the extra row/column at the bottom/right (TensorFlow's choice). */
function offset(inputs: readonly Shape[], attrs: Attrs): Pair {
  const [h, w] = target(inputs, attrs);
  return [Math.floor((inputs[0]![0]! - h) / 2), Math.floor((inputs[0]![1]! - w) / 2)];
}

function checkTarget(inputs: readonly Shape[], attrs: Attrs, ctx: ShapeContext): boolean {
  const hasLike = inputs.length > 1;
  const hasSize = optionalPair(attrs, 'size') !== null;
  if (hasLike === hasSize) {
    ctx.error('GN0314', hasLike ? 'crop takes like or size, not both' : 'crop needs a target: like = <tensor> or size = [height, width]', {
      help: 'crop(like = skip) matches another tensor; crop(size = [h, w]) gives a fixed size',
    });
    return false;
  }
  if (hasLike && inputs[1]!.length !== 3) {
    ctx.error('GN0305', `crop needs a feature map H×W×C as like, got ${shapeText(inputs[1]!)}`, { inputs: [1] });
    return false;
  }
  return true;
}

export const crop: BlockDef = {
  kind: 'crop',
  summary: "centre-crop spatially to like's H×W or to size (channels unchanged)",
  category: new Set(['spatial']),
  args: {
    like: { type: 'value', default: null, doc: 'a tensor whose height and width to crop to' },
    size: { type: 'int2', default: null, min: 1, doc: 'target size: an int or [height, width] (when like is not given)' },
  },
  positional: ['like'],
  inputs: { min: 1, max: 2 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('crop', inputs[0]!, ctx);
    if (map === null || !checkTarget(inputs, attrs, ctx)) return null;
    const [h, w] = target(inputs, attrs);
    if (h > map[0] || w > map[1]) {
      const goal = inputs.length > 1 ? `the size of ${ctx.inputNames[1]} (${dims([h, w])})` : dims([h, w]);
      ctx.error('GN0313', `crop to ${goal} is larger than the input ${dims(map.slice(0, 2))}`, {
        help: 'crop only shrinks: crop the larger tensor to the smaller one, or pad / upsample instead',
        inputs: inputs.length > 1 ? [0, 1] : [0],
      });
      return null;
    }
    return [h, w, map[2]];
  },
  params: () => [],
  macs: () => 0,
  receptiveField: (inputs, attrs) => ({ kind: 'crop', offset: offset(inputs, attrs) }),
  emit(ctx) {
    const [h, w] = ctx.outShape;
    return `rt.crop(${ctx.inputs[0]}, ${lit(offset(ctx.inputShapes, ctx.attrs))}, ${lit([h!, w!])})`;
  },
  // `like` only sets the size, known at compile time: the layer takes the cropped input alone.
  emitTorch: (ctx) => ({ layer: `gt.Crop(${py(offset(ctx.inputShapes, ctx.attrs))}, ${py([ctx.outShape[0]!, ctx.outShape[1]!])})`, arity: 1 }),
};
