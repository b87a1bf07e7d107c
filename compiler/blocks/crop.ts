/** Centre crop to another tensor's spatial size (valid-padding U-Net skips) or to a fixed size. */
import type { Attrs, Shape } from '../ir/ir.js';
import type { Axes, BlockDef, ShapeContext } from './block.js';
import { axes, optionalAxes } from './attr.js';
import { lit } from './emit-util.js';
import { isFeatureMap, requireFeatureMap, spatialOf } from './feature-map.js';
import { dims, shapeText } from './text.js';
import { py } from './torch-util.js';

/** The target spatial size: from `like` (second input) when given, else from `size`. */
function target(inputs: readonly Shape[], attrs: Attrs): Axes {
  return inputs.length > 1 ? spatialOf(inputs[1]!) : axes(attrs, 'size', spatialOf(inputs[0]!).length);
}

/** Centre offset; an odd leftover leaves the extra row/column at the bottom/right (TensorFlow's choice). */
function offset(inputs: readonly Shape[], attrs: Attrs): Axes {
  return target(inputs, attrs).map((n, i) => Math.floor((inputs[0]![i]! - n) / 2));
}

function checkTarget(inputs: readonly Shape[], attrs: Attrs, ctx: ShapeContext): boolean {
  const hasLike = inputs.length > 1;
  const hasSize = attrs['size'] !== null && attrs['size'] !== undefined;
  if (hasLike === hasSize) {
    ctx.error('GN0314', hasLike ? 'crop takes like or size, not both' : 'crop needs a target: like = <tensor> or size = [height, width]', {
      help: 'crop(like = skip) matches another tensor; crop(size = [h, w]) gives a fixed size',
    });
    return false;
  }
  if (hasLike && !isFeatureMap(inputs[1]!)) {
    ctx.error('GN0305', `crop needs a feature map H×W×C as like, got ${shapeText(inputs[1]!)}`, { inputs: [1] });
    return false;
  }
  if (hasLike && inputs[1]!.length !== inputs[0]!.length) {
    ctx.error('GN0110', `crop needs like of the same rank as its input: ${ctx.inputNames[0]} gives ${shapeText(inputs[0]!)} but ${ctx.inputNames[1]} gives ${shapeText(inputs[1]!)}`, {
      help: 'crop an image like an image and a volume like a volume',
      inputs: [0, 1],
    });
    return false;
  }
  return true;
}

export const crop: BlockDef = {
  kind: 'crop',
  summary: "centre-crop spatially to like's size (H×W, or D×H×W on a volume) or to size (channels unchanged)",
  category: new Set(['spatial']),
  args: {
    like: { type: 'value', default: null, doc: 'a tensor whose height and width to crop to' },
    size: { type: 'axes', default: null, min: 1, doc: 'target size: an int (every axis) or a list per axis (when like is not given)' },
  },
  positional: ['like'],
  inputs: { min: 1, max: 2 },
  shape(inputs, attrs, ctx) {
    const map = requireFeatureMap('crop', inputs[0]!, ctx);
    if (map === null || !checkTarget(inputs, attrs, ctx)) return null;
    const goalSize = target(inputs, attrs);
    if (goalSize.some((n, i) => n > map.spatial[i]!)) {
      const goal = inputs.length > 1 ? `the size of ${ctx.inputNames[1]} (${dims(goalSize)})` : dims(goalSize);
      ctx.error('GN0313', `crop to ${goal} is larger than the input ${dims(map.spatial)}`, {
        help: 'crop only shrinks: crop the larger tensor to the smaller one, or pad / upsample instead',
        inputs: inputs.length > 1 ? [0, 1] : [0],
      });
      return null;
    }
    return [...goalSize, map.channels];
  },
  params: () => [],
  macs: () => 0,
  receptiveField: (inputs, attrs) => ({ kind: 'crop', offset: offset(inputs, attrs) }),
  emit(ctx) {
    return `rt.crop(${ctx.inputs[0]}, ${lit(offset(ctx.inputShapes, ctx.attrs))}, ${lit(spatialOf(ctx.outShape))})`;
  },
  // `like` only sets the size, known at compile time: the layer takes the cropped input alone.
  emitTorch: (ctx) => ({ layer: `gt.Crop(${py(offset(ctx.inputShapes, ctx.attrs))}, ${py(spatialOf(ctx.outShape))})`, arity: 1 }),
};
