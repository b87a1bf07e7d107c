import type { VolumeShape } from '../data/types.js';
import type { Volume } from '../data/volume-store.js';
import { type PatchPredictor, slidingWindow } from './sliding-window.js';

export interface VolumeNetwork {
  readonly predict: PatchPredictor;
  readonly patch: VolumeShape;
  /** The primary output's window [od, oh, ow, K]. */
  readonly output: readonly number[];
  readonly probabilities: boolean;
}

/** Class per voxel [D, H, W] of a whole volume: argmax of the stitched probabilities (one channel: p > ½). */
export async function segmentVolume(volume: Volume, network: VolumeNetwork, overlap = 0.5, batch = 2): Promise<Uint8Array> {
  const output = network.output.slice(0, 3) as [number, number, number];
  const { scores, channels } = await slidingWindow(volume, network.predict, { patch: network.patch, output, overlap, batch, probabilities: network.probabilities });
  const voxels = scores.length / channels;
  const classes = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    if (channels === 1) {
      classes[v] = scores[v]! > 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < channels; c++) if (scores[v * channels + c]! > scores[v * channels + best]!) best = c;
    classes[v] = best;
  }
  return classes;
}

/** Adds truth × prediction counts (row = true class) of one volume to `counts` (classes × classes). */
export function addVolumeCounts(counts: number[], truth: Uint8Array, predicted: Uint8Array, classes: number): void {
  for (let v = 0; v < truth.length; v++) counts[truth[v]! * classes + predicted[v]!]! += 1;
}

/** Dice of each class, 2·TP / (2·TP + FP + FN); null for a class absent from truth and prediction. */
export function dicePerClass(counts: readonly number[], classes: number): (number | null)[] {
  return Array.from({ length: classes }, (_, c) => {
    let fp = 0;
    let fn = 0;
    for (let o = 0; o < classes; o++) {
      if (o === c) continue;
      fp += counts[o * classes + c]!;
      fn += counts[c * classes + o]!;
    }
    const tp = counts[c * classes + c]!;
    return 2 * tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
  });
}

/** Dice per class over whole volumes (sliding windows), from the voxel counts of all of them together. */
export async function wholeVolumeDice(volumes: readonly Volume[], network: VolumeNetwork, classes: number, overlap = 0.5): Promise<(number | null)[]> {
  const counts = new Array<number>(classes * classes).fill(0);
  for (const volume of volumes) addVolumeCounts(counts, volume.labels, await segmentVolume(volume, network, overlap), classes);
  return dicePerClass(counts, classes);
}
