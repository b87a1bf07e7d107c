/**
 * Rank checks for blocks that need a feature map: H×W×C (an image) or D×H×W×C (a volume). The
 * spatial rank, 2 or 3, comes from the input; every window rule works on its spatial axes alike.
 */
import type { Shape } from '../ir/ir.js';
import type { Axes, ShapeContext } from './block.js';
import { shapeText } from './text.js';

export interface FeatureMap {
  /** [H, W] or [D, H, W]. */
  readonly spatial: Axes;
  readonly channels: number;
}

/** Spatial ranks a feature map may have: images and volumes. */
export const SPATIAL_RANKS: readonly number[] = [2, 3];

const VECTOR_HELP = 'on a vector use dense; flatten or global_avgpool turn an H×W×C map into a vector';

export function isFeatureMap(shape: Shape): boolean {
  return SPATIAL_RANKS.includes(shape.length - 1);
}

/** The input as spatial axes and channels, or null after reporting GN0305 when it is not a feature map. */
export function requireFeatureMap(kind: string, input: Shape, ctx: ShapeContext, help = VECTOR_HELP): FeatureMap | null {
  if (isFeatureMap(input)) return { spatial: input.slice(0, -1), channels: channels(input) };
  ctx.error('GN0305', `${kind} expects a feature map H×W×C, got ${shapeText(input)}`, { help, inputs: [0] });
  return null;
}

/** Spatial axes of a feature map: every axis but the channels. */
export function spatialOf(shape: Shape): Axes {
  return shape.slice(0, -1);
}

/** Channels are the last axis of every shape. */
export function channels(shape: Shape): number {
  return shape[shape.length - 1]!;
}

/** Names of the spatial axes, for messages: height, width (and depth first on a volume). */
export function axisNames(rank: number): readonly string[] {
  return rank === 3 ? ['depth', 'height', 'width'] : ['height', 'width'];
}
