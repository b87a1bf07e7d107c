import * as tf from '@tensorflow/tfjs-core';
import { isVolume } from '../gauss/deploy.js';
import { gaussKernels } from '../gauss/kernels.js';
import { gaussKernels3d } from '../gauss/kernels3d.js';
import type { GaussLayerInfo, Weights } from './model.js';

/**
 * The learned kernels of a gauss layer as RGBA pixels: a grid with a row per basis and a column per
 * kernel of the basis, computed from the current σ, μ, θ. Each kernel is scaled by its own largest
 * |value|: white is 0, red positive, blue negative. A volume layer shows each kernel's middle slice
 * along the depth. No Node: the report encodes it as PNG, the playground draws it on a canvas.
 */
export interface KernelGrid {
  readonly layer: string;
  readonly bases: number;
  readonly perBasis: number;
  /** One kernel's [height, width]. */
  readonly size: readonly [number, number];
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const GAP = 1;
const BACKGROUND = [200, 200, 200, 255] as const;

/** Red for t > 0, blue for t < 0, white at 0; t in [−1, 1]. */
export function divergingColour(t: number): [number, number, number] {
  const fade = Math.round(255 * (1 - Math.min(1, Math.abs(t))));
  return t >= 0 ? [255, fade, fade] : [fade, fade, 255];
}

export async function gaussKernelGrid(layer: GaussLayerInfo, weights: Weights): Promise<KernelGrid> {
  const { config } = layer;
  const weight = (name: string) => weights[`${layer.weightPrefix}/${name}`]!;
  const kernels = tf.tidy(() => {
    if (!isVolume(config)) return gaussKernels(weight('sigma'), weight('mu'), weight('theta'), config.order, config.size);
    const bank = gaussKernels3d(weight('sigma'), weight('mu'), weight('theta'), config.order, config.size);
    const [kd, kh, kw, bases, count] = bank.shape;
    return tf.reshape(tf.slice(bank, [Math.floor(kd / 2), 0, 0, 0, 0], [1, kh, kw, bases, count]), [kh, kw, bases, count]) as tf.Tensor4D;
  });
  const [kh, kw, bases, perBasis] = kernels.shape;
  let values: tf.TypedArray;
  try {
    values = await kernels.data();
  } finally {
    kernels.dispose();
  }
  const width = perBasis * (kw + GAP) + GAP;
  const height = bases * (kh + GAP) + GAP;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set(BACKGROUND, 4 * i);
  const at = (y: number, x: number, b: number, n: number) => values[((y * kw + x) * bases + b) * perBasis + n]!;
  for (let b = 0; b < bases; b++) {
    for (let n = 0; n < perBasis; n++) {
      let largest = 0;
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) largest = Math.max(largest, Math.abs(at(y, x, b, n)));
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const pixel = ((GAP + b * (kh + GAP) + y) * width + GAP + n * (kw + GAP) + x) * 4;
          rgba.set([...divergingColour(largest === 0 ? 0 : at(y, x, b, n) / largest), 255], pixel);
        }
      }
    }
  }
  return { layer: layer.node, bases, perBasis, size: [kh, kw], width, height, rgba };
}
