/** Rank checks for blocks that need a feature map H×W×C (GN0305). */
import type { Shape } from '../ir/ir.js';
import type { ShapeContext } from './block.js';
import { shapeText } from './text.js';

export type FeatureMap = readonly [number, number, number];

const VECTOR_HELP = 'on a vector use dense; flatten or global_avgpool turn an H×W×C map into a vector';

/** The input as [H, W, C], or null after reporting GN0305 when it is not a feature map. */
export function requireFeatureMap(kind: string, input: Shape, ctx: ShapeContext, help = VECTOR_HELP): FeatureMap | null {
  if (input.length === 3) return [input[0]!, input[1]!, input[2]!];
  ctx.error('GN0305', `${kind} expects a feature map H×W×C, got ${shapeText(input)}`, { help, inputs: [0] });
  return null;
}

/** Channels are the last axis of every shape. */
export function channels(shape: Shape): number {
  return shape[shape.length - 1]!;
}
