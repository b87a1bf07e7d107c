import { tileStarts, writePatch } from '../data/patches.js';
import type { VolumeShape } from '../data/types.js';
import type { Volume } from '../data/volume-store.js';

/** Scores [n, od, oh, ow, K] of a batch of patches [n, pd, ph, pw, C] (the network in inference mode). */
export type PatchPredictor = (x: Float32Array, shape: readonly number[]) => Promise<{ values: Float32Array; shape: readonly number[] }>;

export interface SlidingWindowOptions {
  /** The patch the network takes, [pd, ph, pw, C]. */
  readonly patch: VolumeShape;
  /** The network's output window [od, oh, ow] (smaller than the patch for unpadded networks; centred in it). */
  readonly output: readonly [number, number, number];
  /** Share of a window its neighbour overlaps (0.5: every voxel is seen about 2³ times). */
  readonly overlap: number;
  /** Patches per forward pass. */
  readonly batch: number;
  /** Scores are probabilities already (softmax, sigmoid); false: logits, turned into probabilities first. */
  readonly probabilities: boolean;
}

/**
 * Whole-volume scores from patch predictions: output windows laid every (1 − overlap) of their size
 * (the last moved back to the border), each weighted by a Gaussian centred on the window (σ = ⅛ of
 * its size per axis, as nnU-Net) so a voxel's score leans on the windows that see it centrally,
 * where the network saw the most real context. Returns [D, H, W, K] probabilities.
 */
export async function slidingWindow(volume: Volume, predict: PatchPredictor, o: SlidingWindowOptions): Promise<{ scores: Float32Array; channels: number }> {
  const [D, H, W] = volume.shape;
  const margin = [0, 1, 2].map((a) => Math.floor((o.patch[a]! - o.output[a]!) / 2));
  const starts = [D, H, W].map((size, a) => tileStarts(size, o.output[a]!, Math.max(1, Math.round(o.output[a]! * (1 - o.overlap)))));
  const corners = starts[0]!.flatMap((d) => starts[1]!.flatMap((h) => starts[2]!.map((w) => [d, h, w] as const)));
  const importance = gaussianImportance(o.output);
  const [od, oh, ow] = o.output;
  const [pd, ph, pw, C] = o.patch;
  let sums: Float32Array | undefined;
  let channels = 0;
  const weights = new Float32Array(D * H * W);
  for (let first = 0; first < corners.length; first += o.batch) {
    const group = corners.slice(first, first + o.batch);
    const x = new Float32Array(group.length * pd * ph * pw * C);
    group.forEach((c, slot) => writePatch(volume, [c[0] - margin[0]!, c[1] - margin[1]!, c[2] - margin[2]!], o.patch, x, null, slot));
    const { values, shape } = await predict(x, [group.length, pd, ph, pw, C]);
    channels = shape[shape.length - 1]!;
    sums ??= new Float32Array(D * H * W * channels);
    const probabilities = o.probabilities ? values : toProbabilities(values, channels);
    group.forEach((corner, slot) => {
      for (let k = 0; k < od; k++) {
        const vk = corner[0] + k;
        if (vk < 0 || vk >= D) continue;
        for (let j = 0; j < oh; j++) {
          const vj = corner[1] + j;
          if (vj < 0 || vj >= H) continue;
          for (let i = 0; i < ow; i++) {
            const vi = corner[2] + i;
            if (vi < 0 || vi >= W) continue;
            const local = (k * oh + j) * ow + i;
            const weight = importance[local]!;
            const voxel = (vk * H + vj) * W + vi;
            weights[voxel] += weight;
            const from = (slot * od * oh * ow + local) * channels;
            for (let c = 0; c < channels; c++) sums![voxel * channels + c] += weight * probabilities[from + c]!;
          }
        }
      }
    });
  }
  const scores = sums ?? new Float32Array(0);
  for (let v = 0; v < weights.length; v++) for (let c = 0; c < channels; c++) scores[v * channels + c] = weights[v]! > 0 ? scores[v * channels + c]! / weights[v]! : 0;
  return { scores, channels };
}

/** exp(−d² / 2σ²) per axis with σ = size / 8, multiplied, scaled to a maximum of 1 (never 0, so every voxel counts). */
export function gaussianImportance(size: readonly [number, number, number]): Float32Array {
  const axis = (n: number) => Array.from({ length: n }, (_, i) => Math.exp(-((i - (n - 1) / 2) ** 2) / (2 * (n / 8) ** 2)));
  const [a, b, c] = size.map(axis) as [number[], number[], number[]];
  const out = new Float32Array(size[0] * size[1] * size[2]);
  let max = 0;
  for (let k = 0, v = 0; k < size[0]; k++) for (let j = 0; j < size[1]; j++) for (let i = 0; i < size[2]; i++, v++) max = Math.max(max, (out[v] = a[k]! * b[j]! * c[i]!));
  for (let v = 0; v < out.length; v++) out[v] = Math.max(out[v]! / max, 1e-3);
  return out;
}

/** Softmax over channels (or the sigmoid of one channel). */
function toProbabilities(values: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let at = 0; at < values.length; at += channels) {
    if (channels === 1) {
      out[at] = 1 / (1 + Math.exp(-values[at]!));
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < channels; c++) max = Math.max(max, values[at + c]!);
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += out[at + c] = Math.exp(values[at + c]! - max);
    for (let c = 0; c < channels; c++) out[at + c] = out[at + c]! / sum;
  }
  return out;
}
