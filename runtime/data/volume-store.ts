import { DATA_ERRORS, dataError } from './codes.js';
import type { VolumeShape } from './types.js';

/** One training volume: standardised voxels [D, H, W, C], its mask [D, H, W] and where it lies in the world. */
export interface Volume {
  /** The file (or the synthetic sample) it came from, for messages and predictions. */
  readonly name: string;
  readonly shape: VolumeShape;
  readonly voxels: Float32Array;
  readonly labels: Uint8Array;
  /** Row-major 4×4 voxel (i, j, k) → world matrix. */
  readonly affine: readonly number[];
  readonly spacing: readonly [number, number, number];
}

/** The volumes of one split; sizes may differ from volume to volume. */
export interface VolumeStore {
  readonly volumes: readonly Volume[];
}

/** The identity placement with unit voxels (synthetic volumes). */
export const IDENTITY_AFFINE: readonly number[] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * Zero mean and unit variance per channel over the whole volume (as nnU-Net does for MR), so CT
 * units, MR scanners and synthetic grey levels all reach the network on one scale. Training,
 * evaluation and prediction standardise the same way; a constant channel becomes zeros.
 */
export function standardise(voxels: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(voxels.length);
  const n = voxels.length / channels;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let v = 0; v < n; v++) sum += voxels[v * channels + c]!;
    const mean = sum / n;
    let squares = 0;
    for (let v = 0; v < n; v++) squares += (voxels[v * channels + c]! - mean) ** 2;
    const scale = squares > 0 ? 1 / Math.sqrt(squares / n) : 0;
    for (let v = 0; v < n; v++) out[v * channels + c] = (voxels[v * channels + c]! - mean) * scale;
  }
  return out;
}

/** Every volume has the network's channels; mask values are classes. */
export function checkVolumes(store: VolumeStore, channels: number, classes: number, source: string): void {
  for (const volume of store.volumes) {
    if (volume.shape[3] !== channels) {
      throw dataError(DATA_ERRORS.volumeInput, `${volume.name} has ${volume.shape[3]} channel(s) but the network input has ${channels}; use an input of D x H x W x ${volume.shape[3]} (${source})`);
    }
    const bad = volume.labels.findIndex((label) => label >= classes);
    if (bad >= 0) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `mask of ${volume.name} has value ${volume.labels[bad]} at voxel ${voxelAt(bad, volume.shape).join(', ')} (k, j, i), outside 0..${classes - 1}; mask values are class indices`);
    }
  }
}

/** (k, j, i) of a flat [D, H, W] index. */
export function voxelAt(index: number, shape: VolumeShape): [number, number, number] {
  const [, H, W] = shape;
  return [Math.floor(index / (H * W)), Math.floor(index / W) % H, index % W];
}
