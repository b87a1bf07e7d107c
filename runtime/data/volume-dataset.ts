import { DATA_ERRORS, dataError } from './codes.js';
import { epochOrder } from './dataset.js';
import { type Corner, type PatchSampling, drawPatchCorner, foregroundVoxels, tileCorners, writePatch } from './patches.js';
import type { Batch, BatchOptions, Dataset, VolumeShape } from './types.js';
import type { VolumeStore } from './volume-store.js';

/**
 * Training on volumes: each epoch visits every training volume `perVolume` times in an order fixed
 * by (seed, epoch) and cuts one patch per visit (patches.ts). Without a seed (evaluation) the
 * dataset is the volumes' tiles: windows of the patch's size side by side, covering each volume.
 */
export function makeVolumeDataset(store: VolumeStore, indices: Int32Array, patch: VolumeShape, sampling: PatchSampling): Dataset {
  const visits = repeatIndices(indices, sampling.perVolume);
  const tiles = indices.length === 0 ? [] : Array.from(indices).flatMap((v) => tileCorners(store.volumes[v]!.shape, patch, 0).map((corner) => ({ volume: v, corner })));
  const foreground = new Map<number, Int32Array>();
  const foregroundOf = (v: number) => foreground.get(v) ?? foreground.set(v, foregroundVoxels(store.volumes[v]!.labels)).get(v)!;
  return {
    get size() {
      return visits.length;
    },
    inputShape: patch,
    task: 'segmentation',
    *batches(batchSize: number, options: BatchOptions = {}): IterableIterator<Batch> {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw dataError(DATA_ERRORS.badOption, `batch size must be a positive integer, got ${batchSize}`);
      if (options.augment) throw dataError(DATA_ERRORS.badOption, 'augment flips and crops images; volume patches are already drawn at random positions: drop --augment / augment = true');
      const picks = options.shuffle
        ? Array.from(epochOrder(visits, options), (v, position) => ({ volume: v, corner: drawPatchCorner(store.volumes[v]!.shape, patch, foregroundOf(v), sampling, options.seed ?? 0, options.epoch ?? 0, position) }))
        : tiles;
      yield* patchBatches(store, picks, patch, batchSize, options.dropRemainder ?? false);
    },
  };
}

/** The evaluation tiles' count (the `size` an evaluation reports in images). */
export function tileCount(store: VolumeStore, indices: Int32Array, patch: VolumeShape): number {
  return Array.from(indices).reduce((n, v) => n + tileCorners(store.volumes[v]!.shape, patch, 0).length, 0);
}

/** Training indices visited `times` times per epoch: the whole list, then again (numpy's tile). */
export function repeatIndices(indices: Int32Array, times: number): Int32Array {
  const out = new Int32Array(indices.length * times);
  for (let r = 0; r < times; r++) out.set(indices, r * indices.length);
  return out;
}

function* patchBatches(store: VolumeStore, picks: readonly { volume: number; corner: Corner }[], patch: VolumeShape, batchSize: number, dropRemainder: boolean): IterableIterator<Batch> {
  const [pd, ph, pw, C] = patch;
  const voxels = pd * ph * pw;
  for (let start = 0; start < picks.length; start += batchSize) {
    const n = Math.min(batchSize, picks.length - start);
    if (n < batchSize && dropRemainder) return;
    const x = new Float32Array(n * voxels * C);
    const y = new Int32Array(n * voxels);
    for (let slot = 0; slot < n; slot++) writePatch(store.volumes[picks[start + slot]!.volume]!, picks[start + slot]!.corner, patch, x, y, slot);
    yield { x, xShape: [n, pd, ph, pw, C], y, yShape: [n, pd, ph, pw] };
  }
}
