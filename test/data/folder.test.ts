import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { openDataset, parseDataSource } from '../../runtime/data/source.js';
import type { ImageShape, Task } from '../../runtime/data/types.js';
import { tempDir, throwsGnet, writePng } from './helpers.js';

const open = (dir: string, task: Task, classes: number, inputShape: ImageShape) =>
  openDataset(parseDataSource(`folder:${dir}`), { inputShape, classes, task, seed: 0 });

/** Class folders a, b, c with two 6×8 gray images each; pixel value = 40·class + 10·image + column. */
function classFolders(): string {
  const dir = tempDir('folder-cls');
  ['a', 'b', 'c'].forEach((name, label) => {
    for (const image of [0, 1]) writePng(join(dir, name, `${image}.png`), 6, 8, (_, x) => [40 * label + 10 * image + x]);
  });
  writeFileSync(join(dir, 'a', 'notes.txt'), 'not an image');
  return dir;
}

test('classification folders: classes in name order, gray pixels scaled', () => {
  const data = open(classFolders(), 'classification', 3, [6, 8, 1]);
  assert.equal(data.info.classNames, ['a', 'b', 'c']);
  const [batch] = data.train.batches(6);
  assert.equal([...batch.y], [0, 0, 1, 1, 2, 2]);
  assert.is(batch.x[(3 * 6 + 2) * 8 + 5], Math.fround((40 * 1 + 10 * 1 + 5) / 255));
});

test('gray images repeat into 3 channels; colour images become luma for 1 channel', () => {
  const [gray] = open(classFolders(), 'classification', 3, [6, 8, 3]).train.batches(1);
  assert.equal([...gray.x.subarray(3 * 5, 3 * 6)], new Array(3).fill(Math.fround(5 / 255)));
  const dir = tempDir('folder-rgb');
  writePng(join(dir, 'red', 'r.png'), 2, 2, () => [200, 100, 50]);
  const [luma] = open(dir, 'classification', 1, [2, 2, 1]).train.batches(1);
  assert.is(luma.x[0], Math.fround(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255));
});

test('class folders and classes disagree: GN7007 listing the folders', () => {
  throwsGnet(() => open(classFolders(), 'classification', 10, [6, 8, 1]), DATA_ERRORS.folderLayout, '3 class folders', 'a, b, c', '10 classes');
});

test('images of different sizes: GN7006 naming the odd file', () => {
  const dir = classFolders();
  const odd = writePng(join(dir, 'b', '2.png'), 7, 8, () => [0]);
  throwsGnet(() => open(dir, 'classification', 3, [8, 8, 1]), DATA_ERRORS.shapeMismatch, odd, '7×8', '6×8');
});

test('a file that is not a PNG: GN7002 naming it', () => {
  const dir = classFolders();
  const fake = join(dir, 'c', 'fake.png');
  writeFileSync(fake, 'hello');
  throwsGnet(() => open(dir, 'classification', 3, [6, 8, 1]), DATA_ERRORS.corruptFile, fake);
});

test('missing folder: GN7001', () => {
  const absent = join(tempDir('folder'), 'absent');
  throwsGnet(() => open(absent, 'classification', 3, [6, 8, 1]), DATA_ERRORS.missingFile, absent);
});

/** images/ and masks/ with masks = class index of a striped pattern (column % 3). */
function segmentationFolder(root = tempDir('folder-seg'), names = ['x.png', 'y.png']): string {
  for (const name of names) {
    writePng(join(root, 'images', name), 5, 6, (_, x) => [80 * (x % 3)]);
    writePng(join(root, 'masks', name), 5, 6, (_, x) => [x % 3]);
  }
  return root;
}

test('segmentation folder: masks are class indices aligned with their images', () => {
  const data = open(segmentationFolder(), 'segmentation', 3, [5, 6, 1]);
  const [batch] = data.train.batches(2);
  assert.equal(batch.yShape, [2, 5, 6]);
  batch.y.forEach((label, p) => assert.is(label, Math.round(batch.x[p] * 255) / 80));
});

test('train/ and test/ subfolders become the training pool and the test set', () => {
  const root = tempDir('folder-split');
  segmentationFolder(join(root, 'train'), ['a.png', 'b.png', 'c.png']);
  segmentationFolder(join(root, 'test'), ['d.png']);
  const data = open(root, 'segmentation', 3, [5, 6, 1]);
  assert.equal([data.info.count, data.test?.size], [3, 1]);
});

test('mask problems name the file: value out of range, size, colour, missing mask or image', () => {
  const high = segmentationFolder();
  const bad = writePng(join(high, 'masks', 'y.png'), 5, 6, (y, x) => [y === 2 && x === 4 ? 255 : 0]);
  throwsGnet(() => open(high, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.labelOutOfRange, bad, 'value 255', 'row 2, column 4', '0..2');

  const size = segmentationFolder();
  const small = writePng(join(size, 'masks', 'x.png'), 4, 6, () => [0]);
  throwsGnet(() => open(size, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.shapeMismatch, small, '4×6', '5×6');

  const colour = segmentationFolder();
  const rgb = writePng(join(colour, 'masks', 'x.png'), 5, 6, () => [1, 0, 0]);
  throwsGnet(() => open(colour, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.corruptFile, rgb, 'not gray');

  const lonely = segmentationFolder();
  writePng(join(lonely, 'images', 'z.png'), 5, 6, () => [0]);
  throwsGnet(() => open(lonely, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.folderLayout, 'z.png', 'mask');

  const orphan = segmentationFolder();
  writePng(join(orphan, 'masks', 'w.png'), 5, 6, () => [0]);
  throwsGnet(() => open(orphan, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.folderLayout, 'w.png');

  const flat = tempDir('folder-flat');
  mkdirSync(join(flat, 'images'));
  throwsGnet(() => open(flat, 'segmentation', 3, [5, 6, 1]), DATA_ERRORS.folderLayout, 'masks');
});

test.run();
