import { classMask, placeNuclei, rasterise } from './cell-geometry.js';
import { renderCells } from './cell-render.js';
import { DATA_ERRORS, dataError } from './codes.js';
import { STREAM, hashSeed, seededRandom } from './random.js';
import type { SampleStore } from './types.js';

/**
 * Built-in microscopy-like data: touching nuclei of varied size and brightness on an unevenly lit,
 * noisy background, with exact masks. Sample `index` depends only on (seed, index, size): a larger
 * set extends a smaller one, and channels or classes change only the colours or the masks.
 */
export interface CellsOptions {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** 2: background / nucleus; 3: background / nucleus / boundary rim. */
  readonly classes: number;
  readonly seed: number;
}

export interface CellSample {
  /** H × W × C bytes. */
  readonly image: Uint8Array;
  /** H × W class indices. */
  readonly mask: Uint8Array;
  /** H × W nucleus ids (0 = background), for checks that need instances. */
  readonly instances: Uint16Array;
}

/** The seed of the built-in dataset: fixed, so every run and every machine sees the same images. */
export const SYNTHETIC_CELLS_SEED = 20240611;

export function checkCellsOptions(o: CellsOptions): void {
  if (o.classes !== 2 && o.classes !== 3) {
    throw dataError(DATA_ERRORS.badOption, `synthetic-cells has 2 classes (background, nucleus) or 3 (with boundary), not ${o.classes}; set classes to 2 or 3`);
  }
  if (o.channels !== 1 && o.channels !== 3) {
    throw dataError(DATA_ERRORS.shapeMismatch, `synthetic-cells makes 1- or 3-channel images, not ${o.channels}; use an input of H×W×1 or H×W×3`);
  }
  if (!(Number.isInteger(o.height) && Number.isInteger(o.width) && o.height >= 8 && o.width >= 8)) {
    throw dataError(DATA_ERRORS.shapeMismatch, `synthetic-cells images need integer sizes of at least 8×8, got ${o.height}×${o.width}`);
  }
}

export function generateCell(options: CellsOptions, index: number): CellSample {
  const { height, width, channels } = options;
  const random = seededRandom(hashSeed(STREAM.cells, options.seed, index, height, width));
  const nuclei = placeNuclei(random, height, width);
  const raster = rasterise(nuclei, height, width);
  const image = renderCells(random, nuclei, raster, height, width, channels);
  return { image, mask: classMask(raster.instances, height, width, options.classes as 2 | 3), instances: raster.instances };
}

/** Samples firstIndex … firstIndex + count − 1 as a segmentation store. */
export function generateCellsStore(options: CellsOptions, count: number, firstIndex = 0): SampleStore {
  checkCellsOptions(options);
  const { height, width, channels } = options;
  const pixels = new Uint8Array(count * height * width * channels);
  const labels = new Uint8Array(count * height * width);
  for (let i = 0; i < count; i++) {
    const sample = generateCell(options, firstIndex + i);
    pixels.set(sample.image, i * sample.image.length);
    labels.set(sample.mask, i * sample.mask.length);
  }
  return { count, imageShape: [height, width, channels], pixels, labels, task: 'segmentation' };
}
