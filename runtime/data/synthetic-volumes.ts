import { DATA_ERRORS, dataError } from './codes.js';
import { STREAM, hashSeed, normal, seededRandom, uniform } from './random.js';
import { IDENTITY_AFFINE, type Volume, type VolumeStore, standardise } from './volume-store.js';

/**
 * Built-in volumes: blob-like "cells" (ellipsoids of varied size and brightness, some touching) in
 * a slowly varying background with Gaussian noise, and their exact masks. Volume `index` depends
 * only on (seed, index, size), so a larger set extends a smaller one and every machine sees the same.
 */
export interface VolumesOptions {
  /** Edge of the cubic volume in voxels. */
  readonly size: number;
  readonly channels: number;
  /** 2: background / cell; 3: background / cell / a one-voxel rim. */
  readonly classes: number;
  readonly seed: number;
}

export const SYNTHETIC_VOLUMES_SEED = 20261206;
/** 48³: a 32³ patch sees about a third of a volume, and whole-volume prediction must tile. */
export const SYNTHETIC_VOLUME_SIZE = 48;

export function checkVolumesOptions(o: VolumesOptions): void {
  if (o.classes !== 2 && o.classes !== 3) {
    throw dataError(DATA_ERRORS.badOption, `synthetic-volumes has 2 classes (background, cell) or 3 (with a rim), not ${o.classes}; end the network in 2 or 3 classes`);
  }
  if (o.channels !== 1) throw dataError(DATA_ERRORS.volumeInput, `synthetic-volumes are one-channel volumes, but the network input has ${o.channels} channels; use an input of D x H x W x 1`);
}

interface Blob {
  readonly centre: readonly [number, number, number];
  readonly radii: readonly [number, number, number];
  readonly brightness: number;
}

export function generateVolume(o: VolumesOptions, index: number): Volume {
  const random = seededRandom(hashSeed(STREAM.volumes, o.seed, index, o.size));
  const n = o.size;
  const blobs: Blob[] = Array.from({ length: 3 + Math.floor(random() * 5) }, () => ({
    centre: [uniform(random, 4, n - 4), uniform(random, 4, n - 4), uniform(random, 4, n - 4)],
    radii: [uniform(random, 3.5, 8), uniform(random, 3.5, 8), uniform(random, 3.5, 8)],
    brightness: uniform(random, 0.45, 0.8),
  }));
  // A linear illumination ramp in a random direction: intensity alone must not decide the class.
  const ramp = [uniform(random, -1, 1), uniform(random, -1, 1), uniform(random, -1, 1)].map((g) => (0.15 * g) / n);
  const noise = uniform(random, 0.08, 0.14);
  const voxels = new Float32Array(n * n * n);
  const labels = new Uint8Array(n * n * n);
  for (let k = 0, v = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++, v++) {
        let value = 0.2 + ramp[0]! * (k - n / 2) + ramp[1]! * (j - n / 2) + ramp[2]! * (i - n / 2);
        let inside = 0;
        for (const blob of blobs) {
          const r = Math.hypot((k - blob.centre[0]) / blob.radii[0], (j - blob.centre[1]) / blob.radii[1], (i - blob.centre[2]) / blob.radii[2]);
          if (r <= 1) {
            value = Math.max(value, blob.brightness * (1 - 0.25 * r * r));
            const rim = (1 - r) * Math.min(...blob.radii) < 1;
            inside = Math.max(inside, o.classes === 3 && rim ? 2 : 1);
          }
        }
        voxels[v] = value + noise * normal(random);
        labels[v] = inside;
      }
    }
  }
  return { name: `synthetic-volumes #${index}`, shape: [n, n, n, 1], voxels: standardise(voxels, 1), labels, affine: IDENTITY_AFFINE, spacing: [1, 1, 1] };
}

/** Volumes firstIndex … firstIndex + count − 1. */
export function generateVolumesStore(o: VolumesOptions, count: number, firstIndex = 0): VolumeStore {
  checkVolumesOptions(o);
  return { volumes: Array.from({ length: count }, (_, i) => generateVolume(o, firstIndex + i)) };
}
