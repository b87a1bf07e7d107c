import { basename, join } from 'node:path';
import { dataError, DATA_ERRORS } from '../../runtime/data/codes.js';
import { encodeNifti } from '../../runtime/data/nifti-write.js';
import { isNiftiName, readNiftiFile } from '../../runtime/data/nifti.js';
import type { VolumeShape } from '../../runtime/data/types.js';
import { standardise, type Volume } from '../../runtime/data/volume-store.js';
import { segmentVolume, type VolumeNetwork } from '../../runtime/infer/segment-volume.js';
import { TRAIN_ERRORS, trainError } from '../../runtime/train/codes.js';
import { predictBatch } from '../../runtime/train/evaluate.js';
import { makeFolder, writeFileAtomic } from '../../runtime/train/files.js';
import type { GeneratedModel, Weights } from '../../runtime/train/model.js';
import type { TaskInfo } from '../../runtime/train/targets.js';
import { relativePath } from '../load.js';

/** The trained network as a patch predictor for sliding windows (TensorFlow.js, inference mode). */
export function volumeNetwork(module: GeneratedModel, weights: Weights, task: TaskInfo): VolumeNetwork {
  return {
    predict: (x, shape) => predictBatch(module, weights, task, x, shape),
    patch: task.input.shape as VolumeShape,
    output: task.primary.shape,
    probabilities: task.primary.activation === 'softmax' || task.primary.activation === 'sigmoid',
  };
}

/** A NIfTI volume as the network sees it: standardised per channel, with the network's channels. */
export function readVolumeForNetwork(path: string, channels: number): Volume {
  if (!isNiftiName(path)) throw trainError(TRAIN_ERRORS.badImage, `${path} is not a NIfTI volume (.nii or .nii.gz); this run's network takes volumes`);
  const nifti = readNiftiFile(path);
  if (nifti.shape[3] !== channels) {
    throw dataError(DATA_ERRORS.volumeInput, `${path} has ${nifti.shape[3]} channel(s) but the network input has ${channels}; give volumes with ${channels} channel(s)`);
  }
  return { name: path, shape: nifti.shape, voxels: standardise(nifti.voxels, channels), labels: new Uint8Array(0), affine: nifti.affine, spacing: nifti.spacing };
}

/**
 * `gnet predict RUN VOLUME…` for a network on volumes: each volume, of any size, segmented by sliding
 * windows (overlap, Gaussian weighting) and its mask written as NIfTI (uint8 class per voxel) on the
 * volume's own grid and affine, as OUT/<name>.nii.gz.
 */
export async function predictVolumes(network: VolumeNetwork, paths: readonly string[], out: string, overlap: number): Promise<{ image: string; mask: string; shape: number[] }[]> {
  if (!(overlap >= 0 && overlap <= 0.9)) throw trainError(TRAIN_ERRORS.badValue, `--overlap ${overlap} is outside 0 to 0.9; windows overlap by that share of their size (0.5: half)`);
  // Every volume is read before any is predicted, so a bad one stops the command before it writes.
  const volumes = paths.map((path) => readVolumeForNetwork(path, network.patch[3]));
  makeFolder(out);
  const results = [];
  const used = new Set<string>();
  for (const [index, volume] of volumes.entries()) {
    const classes = await segmentVolume(volume, network, overlap);
    const name = basename(volume.name).replace(/\.nii(\.gz)?$/i, '');
    const file = join(out, `${used.has(name) ? `${name}-${index + 1}` : name}.nii.gz`);
    used.add(name);
    const [D, H, W] = volume.shape;
    writeFileAtomic(file, encodeNifti({ shape: [D, H, W, 1], values: classes, affine: volume.affine, spacing: volume.spacing, description: 'gnet predict: class per voxel' }, true));
    process.stdout.write(`${volume.name}: mask ${relativePath(file)} (${W}×${H}×${D} voxels)\n`);
    results.push({ image: volume.name, mask: file, shape: [W, H, D] });
  }
  return results;
}
