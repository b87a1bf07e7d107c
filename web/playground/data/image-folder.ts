/**
 * A folder of images for classification, picked or dropped, with the CLI's `folder:DIR` conventions:
 * one subfolder per class (classes in name order), or `train/` and `test/` holding such folders.
 * The page also takes a labels file instead of class folders (labels-file.ts). PNG and JPEG are
 * decoded by the browser; pixels become gray or RGB as in the CLI (runtime/data/rgba.ts).
 */
import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';
import { toChannels, type RgbaImage } from '../../../runtime/data/rgba.js';
import type { SampleStore } from '../../../runtime/data/types.js';
import type { PathedFile } from './data-choice.js';
import { decodeImage } from './decode-image.js';
import { classIndices, parseClassNames, parseLabels } from './labels-file.js';

export interface ImageFolderData {
  readonly train: SampleStore;
  readonly test?: SampleStore;
  readonly classNames: readonly string[];
}

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;
const LABELS = /^labels\.(csv|tsv|txt)$/i;
const CLASSES = /^classes\.txt$/i;

export async function readImageFolder(files: readonly PathedFile[], classes: number, channels: number): Promise<ImageFolderData> {
  if (channels !== 1 && channels !== 3) {
    throw dataError(DATA_ERRORS.shapeMismatch, `image folders give 1 (gray) or 3 (RGB) channels, but the network input has ${channels}; use 1 or 3`);
  }
  const all = withoutCommonRoot(files);
  if (!all.some((f) => IMAGE.test(f.path))) {
    throw dataError(DATA_ERRORS.folderLayout, `no images (PNG or JPEG) among the ${files.length} files chosen; pick the folder that holds the class folders or the images and labels.csv`);
  }
  const classesFile = all.find((f) => CLASSES.test(f.path));
  const known = classesFile ? parseClassNames(await classesFile.file.text()) : undefined;
  const hasSplits = all.some((f) => f.path.startsWith('train/'));
  const under = (prefix: string) => all.filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
  const train = await readSplit(hasSplits ? under('train/') : all, known, classes, channels);
  const testFiles = hasSplits ? under('test/') : [];
  const test = testFiles.some((f) => IMAGE.test(f.path)) ? await readSplit(testFiles, known ?? train.names, classes, channels) : undefined;
  if (test && (test.store.imageShape[0] !== train.store.imageShape[0] || test.store.imageShape[1] !== train.store.imageShape[1])) {
    const [a, b] = [train.store.imageShape, test.store.imageShape];
    throw dataError(DATA_ERRORS.shapeMismatch, `the test images are ${b[0]}×${b[1]} but the training images ${a[0]}×${a[1]}; all images need one size`);
  }
  return { train: train.store, test: test?.store, classNames: train.names };
}

/** `pets/cat/1.png` → `cat/1.png` when every file lies in one folder `pets` (a picked or dropped folder). */
function withoutCommonRoot(files: readonly PathedFile[]): PathedFile[] {
  const first = files[0]?.path.split('/')[0];
  const shared = files.length > 0 && files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first);
  return files.map((f) => (shared ? { ...f, path: f.path.slice(first!.length + 1) } : f));
}

async function readSplit(files: readonly PathedFile[], known: readonly string[] | undefined, classes: number, channels: number): Promise<{ store: SampleStore; names: string[] }> {
  const images = files.filter((f) => IMAGE.test(f.path));
  const labelsFile = files.find((f) => LABELS.test(f.path));
  const { ordered, labels, names } = labelsFile ? await fromLabelsFile(images, labelsFile, known, classes) : fromClassFolders(images, known, classes);
  const decoded: RgbaImage[] = [];
  for (const image of ordered) decoded.push(await decodeImage(image.file, image.path));
  const { width, height } = decoded[0]!;
  const odd = decoded.findIndex((d) => d.width !== width || d.height !== height);
  if (odd >= 0) {
    throw dataError(DATA_ERRORS.shapeMismatch, `${ordered[odd]!.path} is ${decoded[odd]!.height}×${decoded[odd]!.width} but ${ordered[0]!.path} is ${height}×${width}; all images of a folder need one size`);
  }
  const pixels = new Uint8Array(decoded.length * height * width * channels);
  decoded.forEach((d, i) => pixels.set(toChannels(d, channels), i * height * width * channels));
  return { store: { count: decoded.length, imageShape: [height, width, channels], pixels, labels: Int32Array.from(labels), task: 'classification' }, names };
}

async function fromLabelsFile(images: readonly PathedFile[], labelsFile: PathedFile, known: readonly string[] | undefined, classes: number) {
  const lines = parseLabels(await labelsFile.file.text(), labelsFile.path);
  const byName = new Map<string, PathedFile>();
  for (const image of images) {
    byName.set(image.path, image);
    byName.set(image.path.split('/').pop()!, image);
  }
  const ordered = lines.map((l) => {
    const image = byName.get(l.image);
    if (!image) throw dataError(DATA_ERRORS.missingFile, `${labelsFile.path} line ${l.line} names ${l.image}, which is not among the images chosen; add the image or remove the line`);
    return image;
  });
  const labelled = new Set(ordered);
  const unlabelled = images.find((i) => !labelled.has(i));
  if (unlabelled) throw dataError(DATA_ERRORS.folderLayout, `${unlabelled.path} has no line in ${labelsFile.path}; label every image or leave it out`);
  const { indices, names } = classIndices(lines, known, classes, labelsFile.path);
  return { ordered, labels: indices, names };
}

function fromClassFolders(images: readonly PathedFile[], known: readonly string[] | undefined, classes: number) {
  const loose = images.find((i) => !i.path.includes('/'));
  if (loose) {
    throw dataError(DATA_ERRORS.folderLayout, `${loose.path} is in no class folder and there is no labels.csv; put each image in a folder named after its class, or add labels.csv (“image,class” per line)`);
  }
  const folderOf = (image: PathedFile) => image.path.split('/')[0]!;
  const folders = [...new Set(images.map(folderOf))].sort();
  const names = known ? [...known] : folders;
  const unknown = folders.find((f) => !names.includes(f));
  if (unknown !== undefined) {
    throw dataError(DATA_ERRORS.labelOutOfRange, `class folder “${unknown}” is not one of the classes in classes.txt (${names.join(', ')}); rename the folder or add the class`);
  }
  if (known ? names.length > classes : names.length !== classes) {
    throw dataError(DATA_ERRORS.folderLayout, `there are ${names.length} classes (${names.join(', ')}) but the network has ${classes}; make one subfolder per class`);
  }
  const ordered = [...images].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ordered, labels: ordered.map((i) => names.indexOf(folderOf(i))), names };
}
