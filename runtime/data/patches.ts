import { windowStart } from './augment.js';
import { STREAM, hashSeed, seededRandom } from './random.js';
import type { VolumeShape } from './types.js';
import type { Volume } from './volume-store.js';

/**
 * Where training patches come from. Each (seed, epoch, position in the epoch's order) seeds its own
 * stream, so every engine (and gnet_torch/sampling.py, draw for draw) cuts the same patch:
 * first one draw decides whether the patch is centred on a foreground voxel (probability
 * `foreground`), then either which foreground voxel (one draw) or a uniform corner per axis
 * (three draws, depth first), as runtime/data/augment.ts draws random crops.
 */
export interface PatchSampling {
  /** Patches drawn from each training volume per epoch. */
  readonly perVolume: number;
  /** Share of patches centred on a voxel of a class other than 0 (0: uniform sampling). */
  readonly foreground: number;
}

/** [depth, height, width] of the patch's first voxel in the volume; negative means zero padding. */
export type Corner = readonly [number, number, number];

/** Flat [D, H, W] indices of the voxels whose class is not 0, in storage order. */
export function foregroundVoxels(labels: Uint8Array): Int32Array {
  let count = 0;
  for (const label of labels) if (label > 0) count++;
  const out = new Int32Array(count);
  for (let v = 0, at = 0; v < labels.length; v++) if (labels[v]! > 0) out[at++] = v;
  return out;
}

export function drawPatchCorner(volume: VolumeShape, patch: VolumeShape, foreground: Int32Array, sampling: PatchSampling, seed: number, epoch: number, position: number): Corner {
  const random = seededRandom(hashSeed(STREAM.patches, seed, epoch, position));
  const centred = random() < sampling.foreground;
  if (centred && foreground.length > 0) {
    const voxel = foreground[Math.floor(random() * foreground.length)]!;
    const [, H, W] = volume;
    const at = [Math.floor(voxel / (H * W)), Math.floor(voxel / W) % H, voxel % W];
    return [0, 1, 2].map((axis) => {
      const slack = volume[axis]! - patch[axis]!;
      return Math.min(Math.max(at[axis]! - Math.floor(patch[axis]! / 2), Math.min(0, slack)), Math.max(0, slack));
    }) as unknown as Corner;
  }
  return [windowStart(volume[0], patch[0], random), windowStart(volume[1], patch[1], random), windowStart(volume[2], patch[2], random)];
}

/**
 * Window starts along one axis covering `size` with windows of `patch` every `step` voxels, the last
 * one moved back to end at the border; one centred window (padded) when the volume is smaller.
 */
export function tileStarts(size: number, patch: number, step: number): number[] {
  if (size <= patch) return [windowStart(size, patch)];
  const starts: number[] = [];
  for (let start = 0; start + patch < size; start += step) starts.push(start);
  starts.push(size - patch);
  return starts;
}

/** Every window corner covering a volume, depth-major. */
export function tileCorners(volume: VolumeShape, patch: VolumeShape, overlap: number): Corner[] {
  const axes = [0, 1, 2].map((a) => tileStarts(volume[a]!, patch[a]!, Math.max(1, Math.round(patch[a]! * (1 - overlap)))));
  return axes[0]!.flatMap((d) => axes[1]!.flatMap((h) => axes[2]!.map((w) => [d, h, w] as const)));
}

/** Copies the patch at `corner` into slot `slot` of the batch arrays: zeros (class 0) outside the volume. */
export function writePatch(volume: Volume, corner: Corner, patch: VolumeShape, x: Float32Array, y: Int32Array | null, slot: number): void {
  const [D, H, W, C] = volume.shape;
  const [pd, ph, pw] = patch;
  for (let k = 0; k < pd; k++) {
    const sk = k + corner[0];
    for (let j = 0; j < ph; j++) {
      const sj = j + corner[1];
      const rowInside = sk >= 0 && sk < D && sj >= 0 && sj < H;
      for (let i = 0; i < pw; i++) {
        const si = i + corner[2];
        const out = ((slot * pd + k) * ph + j) * pw + i;
        const inside = rowInside && si >= 0 && si < W;
        const source = (sk * H + sj) * W + si;
        for (let c = 0; c < C; c++) x[out * C + c] = inside ? volume.voxels[source * C + c]! : 0;
        if (y) y[out] = inside ? volume.labels[source]! : 0;
      }
    }
  }
}
