import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PNG } from 'pngjs';
import { DATA_ERRORS, dataError } from './codes.js';
import { toChannels, type RgbaImage } from './rgba.js';
import type { SampleStore, Task } from './types.js';

export { toChannels } from './rgba.js';

/**
 * Folder datasets of PNGs. Classification: DIR/<class>/*.png, classes in name order.
 * Segmentation: DIR/images/*.png with DIR/masks/*.png of the same names, mask value = class index.
 * A DIR holding train/ (and optionally test/) is read as those splits.
 */
export interface FolderData {
  readonly train: SampleStore;
  readonly test?: SampleStore;
  readonly classNames?: readonly string[];
}

export function loadFolder(dir: string, task: Task, classes: number, channels: number): FolderData {
  if (!isDirectory(dir)) throw dataError(DATA_ERRORS.missingFile, `data folder not found: ${dir}; check the path in folder:DIR`);
  if (channels !== 1 && channels !== 3) {
    throw dataError(DATA_ERRORS.shapeMismatch, `PNG folders give 1 (gray) or 3 (RGB) channels, but the network input has ${channels}; use 1 or 3`);
  }
  const load = (d: string) => (task === 'classification' ? loadClassFolders(d, classes, channels) : loadSegmentation(d, classes, channels));
  const trainDir = join(dir, 'train');
  if (!isDirectory(trainDir)) return load(dir);
  const testDir = join(dir, 'test');
  const train = load(trainDir);
  return { ...train, test: isDirectory(testDir) ? load(testDir).train : undefined };
}

function loadClassFolders(dir: string, classes: number, channels: number): FolderData {
  const classNames = readdirSync(dir).filter((n) => isDirectory(join(dir, n))).sort();
  if (classNames.length !== classes) {
    throw dataError(DATA_ERRORS.folderLayout, `${dir} has ${classNames.length} class folders (${classNames.join(', ') || 'none'}) but the network has ${classes} classes; make one subfolder per class`);
  }
  const files = classNames.flatMap((name, label) => pngFiles(join(dir, name)).map((path) => ({ path, label })));
  if (files.length === 0) throw dataError(DATA_ERRORS.folderLayout, `no PNG images in the class folders of ${dir}`);
  const decoded = files.map((f) => decodePng(f.path));
  const [height, width] = commonSize(decoded, files.map((f) => f.path));
  const pixels = new Uint8Array(files.length * height * width * channels);
  decoded.forEach((png, i) => pixels.set(toChannels(png, channels), i * height * width * channels));
  const labels = Int32Array.from(files, (f) => f.label);
  return { train: { count: files.length, imageShape: [height, width, channels], pixels, labels, task: 'classification' }, classNames };
}

function loadSegmentation(dir: string, classes: number, channels: number): FolderData {
  const imageDir = join(dir, 'images');
  const maskDir = join(dir, 'masks');
  for (const d of [imageDir, maskDir]) {
    if (!isDirectory(d)) throw dataError(DATA_ERRORS.folderLayout, `segmentation folder ${dir} needs images/ and masks/ subfolders; ${d} is missing`);
  }
  const names = pngFiles(imageDir).map((p) => basename(p));
  if (names.length === 0) throw dataError(DATA_ERRORS.folderLayout, `no PNG images in ${imageDir}`);
  const imageNames = new Set(names);
  const maskNames = new Set(pngFiles(maskDir).map((p) => basename(p)));
  const unmatched = names.find((n) => !maskNames.has(n)) ?? [...maskNames].find((n) => !imageNames.has(n));
  if (unmatched) {
    throw dataError(DATA_ERRORS.folderLayout, `${unmatched} is in only one of ${imageDir} and ${maskDir}; every image needs a mask of the same name`);
  }
  const images = names.map((n) => decodePng(join(imageDir, n)));
  const [height, width] = commonSize(images, names.map((n) => join(imageDir, n)));
  const pixels = new Uint8Array(names.length * height * width * channels);
  const labels = new Uint8Array(names.length * height * width);
  names.forEach((name, i) => {
    const maskPath = join(maskDir, name);
    const mask = decodePng(maskPath);
    if (mask.width !== width || mask.height !== height) {
      throw dataError(DATA_ERRORS.shapeMismatch, `mask ${maskPath} is ${mask.height}×${mask.width} but its image is ${height}×${width}; masks must match their images`);
    }
    pixels.set(toChannels(images[i], channels), i * height * width * channels);
    labels.set(maskClasses(mask, classes, maskPath), i * height * width);
  });
  return { train: { count: names.length, imageShape: [height, width, channels], pixels, labels, task: 'segmentation' } };
}

/** Mask pixels must be gray and hold a class index (0, 1, …), not a display value such as 255. */
export function maskClasses(png: RgbaImage, classes: number, path: string): Uint8Array {
  const out = new Uint8Array(png.width * png.height);
  for (let i = 0; i < out.length; i++) {
    const [r, g, b] = png.data.subarray(4 * i, 4 * i + 3);
    const where = `row ${Math.floor(i / png.width)}, column ${i % png.width}`;
    if (r !== g || g !== b) {
      throw dataError(DATA_ERRORS.corruptFile, `mask ${path} is not gray at ${where} (${r}, ${g}, ${b}); save masks as gray PNGs whose value is the class index`);
    }
    if (r >= classes) {
      throw dataError(DATA_ERRORS.labelOutOfRange, `mask ${path} has value ${r} at ${where}, outside 0..${classes - 1}; mask values are class indices, not 0/255`);
    }
    out[i] = r;
  }
  return out;
}

function commonSize(pngs: readonly PNG[], paths: readonly string[]): [number, number] {
  const [first] = pngs;
  const odd = pngs.findIndex((p) => p.width !== first.width || p.height !== first.height);
  if (odd >= 0) {
    throw dataError(DATA_ERRORS.shapeMismatch, `${paths[odd]} is ${pngs[odd].height}×${pngs[odd].width} but ${paths[0]} is ${first.height}×${first.width}; all images of a folder dataset need one size`);
  }
  return [first.height, first.width];
}

function decodePng(path: string): PNG {
  try {
    return PNG.sync.read(readFileSync(path));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw dataError(DATA_ERRORS.corruptFile, `${path} cannot be read as PNG (${why}); re-export it as PNG`);
  }
}

const pngFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.png')).sort().map((n) => join(dir, n));

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();
