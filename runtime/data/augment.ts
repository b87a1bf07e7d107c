import { DATA_ERRORS, dataError } from './codes.js';
import { type Random, randomInt } from './random.js';
import type { AugmentOptions, ImageShape, SampleStore, Task } from './types.js';

/**
 * Where one sample's network window comes from and how it is turned. Image and mask go through
 * the same transform (`sourcePixel`), so they cannot drift apart.
 */
export interface SampleTransform {
  /** Source row/column of the window's top-left corner; negative means zero padding. */
  readonly top: number;
  readonly left: number;
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  /** Quarter turns counter-clockwise (square windows only). */
  readonly quarterTurns: number;
}

/** What `augment: true` means: mirrors that keep the label, plus random crops; 90° turns only where square. */
export function defaultAugment(task: Task, target: ImageShape): AugmentOptions {
  const square = target[0] === target[1];
  return task === 'classification'
    ? { flipHorizontal: true, randomCrop: true }
    : { flipHorizontal: true, flipVertical: true, rotate90: square, randomCrop: true };
}

export function resolveAugment(option: boolean | AugmentOptions | undefined, task: Task, target: ImageShape): AugmentOptions | null {
  if (!option) return null;
  const resolved = option === true ? defaultAugment(task, target) : option;
  if (resolved.rotate90 && target[0] !== target[1]) {
    throw dataError(DATA_ERRORS.badOption, `rotate90 needs a square network input, got ${target[0]}×${target[1]}; turn rotate90 off`);
  }
  return resolved;
}

/**
 * Start of the window along one axis: centred by default (padding when the target is larger,
 * cropping when smaller); with `random`, anywhere the window still covers the image or lies within it.
 */
export function windowStart(source: number, target: number, random?: Random): number {
  const slack = source - target;
  if (random) return randomInt(random, Math.min(0, slack), Math.max(0, slack));
  return slack >= 0 ? Math.floor(slack / 2) : -Math.floor(-slack / 2);
}

export function drawTransform(source: ImageShape, target: ImageShape, augment: AugmentOptions | null, random: Random): SampleTransform {
  const crop = augment?.randomCrop ? random : undefined;
  return {
    top: windowStart(source[0], target[0], crop),
    left: windowStart(source[1], target[1], crop),
    flipHorizontal: !!augment?.flipHorizontal && random() < 0.5,
    flipVertical: !!augment?.flipVertical && random() < 0.5,
    quarterTurns: augment?.rotate90 ? Math.floor(random() * 4) : 0,
  };
}

/** Source [row, column] of output pixel (y, x): undo the turns, then the flips, then shift by the window. */
export function sourcePixel(y: number, x: number, t: SampleTransform, height: number, width: number): [number, number] {
  let row = y;
  let col = x;
  for (let turn = 0; turn < t.quarterTurns; turn++) [row, col] = [col, height - 1 - row];
  if (t.flipHorizontal) col = width - 1 - col;
  if (t.flipVertical) row = height - 1 - row;
  return [row + t.top, col + t.left];
}

/**
 * Writes sample `index` of `store`, transformed, into the batch arrays at slot `slot`:
 * pixels scaled to [0, 1], zeros (class 0 in masks) where the window leaves the image.
 */
export function writeSample(store: SampleStore, index: number, t: SampleTransform, target: ImageShape, x: Float32Array, y: Int32Array, slot: number): void {
  const [H, W, C] = target;
  const [sourceH, sourceW] = store.imageShape;
  const imageBase = index * sourceH * sourceW * C;
  const maskBase = index * sourceH * sourceW;
  const segmentation = store.task === 'segmentation';
  if (!segmentation) y[slot] = store.labels[index];
  for (let row = 0; row < H; row++) {
    for (let col = 0; col < W; col++) {
      const [sr, sc] = sourcePixel(row, col, t, H, W);
      const out = (slot * H + row) * W + col;
      const inside = sr >= 0 && sr < sourceH && sc >= 0 && sc < sourceW;
      const pixel = sr * sourceW + sc;
      for (let ch = 0; ch < C; ch++) x[out * C + ch] = inside ? store.pixels[imageBase + pixel * C + ch] / 255 : 0;
      if (segmentation) y[out] = inside ? store.labels[maskBase + pixel] : 0;
    }
  }
}
