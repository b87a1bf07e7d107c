import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_ERRORS, dataError } from './codes.js';
import { isNiftiName, readNiftiFile, type NiftiVolume } from './nifti.js';
import { type Volume, type VolumeStore, standardise, voxelAt } from './volume-store.js';

/**
 * Folder datasets of volumes: DIR/images/*.nii(.gz) with DIR/masks/ holding a mask of the same name
 * for each (the same grid and affine, values = class indices). A DIR holding train/ (and
 * optionally test/) is read as those splits, as PNG folders are.
 */
export interface VolumeFolderData {
  readonly train: VolumeStore;
  readonly test?: VolumeStore;
}

/** Whether DIR (or DIR/train) holds NIfTI images: then folder:DIR is a volume dataset. */
export function holdsVolumes(dir: string): boolean {
  const images = isDirectory(join(dir, 'train')) ? join(dir, 'train', 'images') : join(dir, 'images');
  return isDirectory(images) && readdirSync(images).some(isNiftiName);
}

export function loadVolumeFolder(dir: string): VolumeFolderData {
  if (!isDirectory(dir)) throw dataError(DATA_ERRORS.missingFile, `data folder not found: ${dir}; check the path in folder:DIR`);
  const trainDir = join(dir, 'train');
  if (!isDirectory(trainDir)) return { train: loadSplit(dir) };
  const testDir = join(dir, 'test');
  return { train: loadSplit(trainDir), test: isDirectory(testDir) ? loadSplit(testDir) : undefined };
}

function loadSplit(dir: string): VolumeStore {
  const imageDir = join(dir, 'images');
  const maskDir = join(dir, 'masks');
  for (const d of [imageDir, maskDir]) {
    if (!isDirectory(d)) throw dataError(DATA_ERRORS.folderLayout, `volume folder ${dir} needs images/ and masks/ subfolders; ${d} is missing`);
  }
  const names = readdirSync(imageDir).filter(isNiftiName).sort();
  if (names.length === 0) throw dataError(DATA_ERRORS.folderLayout, `no .nii or .nii.gz volumes in ${imageDir}`);
  const masks = new Set(readdirSync(maskDir).filter(isNiftiName));
  const unmatched = names.find((n) => !masks.has(n)) ?? [...masks].find((n) => !names.includes(n));
  if (unmatched) throw dataError(DATA_ERRORS.folderLayout, `${unmatched} is in only one of ${imageDir} and ${maskDir}; every volume needs a mask of the same name`);
  return { volumes: names.map((name) => pairVolume(join(imageDir, name), join(maskDir, name))) };
}

/** An image and its mask, checked against each other. */
export function pairVolume(imagePath: string, maskPath: string): Volume {
  const image = readNiftiFile(imagePath);
  const mask = readNiftiFile(maskPath);
  const [D, H, W, C] = image.shape;
  const grid = (v: NiftiVolume) => `${v.shape[2]}×${v.shape[1]}×${v.shape[0]}`;
  if (mask.shape[3] !== 1) throw dataError(DATA_ERRORS.badDimensions, `mask ${maskPath} has ${mask.shape[3]} components; a mask is one 3-D volume of class indices`);
  if (mask.shape[0] !== D || mask.shape[1] !== H || mask.shape[2] !== W) {
    throw dataError(DATA_ERRORS.volumeShapeMismatch, `mask ${maskPath} is ${grid(mask)} voxels but its image ${imagePath} is ${grid(image)}; resample the mask onto the image's grid`);
  }
  const worst = Math.max(...image.affine.map((a, i) => Math.abs(a - mask.affine[i]!) / Math.max(1, Math.abs(a))));
  if (worst > 1e-4) {
    throw dataError(DATA_ERRORS.affineMismatch, `mask ${maskPath} lies elsewhere in the world than its image ${imagePath}: affines [${rows(mask.affine)}] and [${rows(image.affine)}]; resample the mask onto the image (same grid, same sform/qform)`);
  }
  return { name: imagePath, shape: image.shape, voxels: standardise(image.voxels, C), labels: classIndices(mask, maskPath), affine: image.affine, spacing: image.spacing };
}

function classIndices(mask: NiftiVolume, path: string): Uint8Array {
  const out = new Uint8Array(mask.voxels.length);
  for (let v = 0; v < out.length; v++) {
    const value = mask.voxels[v]!;
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `mask ${path} has value ${value} at voxel ${voxelAt(v, mask.shape).join(', ')} (k, j, i); mask values are class indices 0, 1, …`);
    }
    out[v] = value;
  }
  return out;
}

const rows = (affine: readonly number[]) => [0, 1, 2].map((r) => affine.slice(4 * r, 4 * r + 4).map((x) => Number(x.toPrecision(4))).join(' ')).join('; ');

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();
