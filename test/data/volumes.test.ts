/**
 * Volume datasets: synthetic-volumes (seeded, index-stable, exact masks), folder:DIR of NIfTI images
 * and masks, the split into volumes and the patches drawn from them (seeded, inside the volume,
 * foreground-centred when asked), and the coded refusals of volumes given to image networks and back.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { encodeNifti } from '../../runtime/data/nifti-write.js';
import { drawPatchCorner, foregroundVoxels, tileCorners, writePatch } from '../../runtime/data/patches.js';
import { openDataset, parseDataSource } from '../../runtime/data/source.js';
import { type VolumesOptions, generateVolume, generateVolumesStore } from '../../runtime/data/synthetic-volumes.js';
import type { VolumeShape } from '../../runtime/data/types.js';
import { IDENTITY_AFFINE } from '../../runtime/data/volume-store.js';
import { tempDir, throwsGnet, writeFile } from './helpers.js';

const options: VolumesOptions = { size: 16, channels: 1, classes: 2, seed: 5 };

test('synthetic volumes: seeded, volume i independent of the range, cells brighter than background', () => {
  const a = generateVolume(options, 2);
  assert.equal([...a.voxels], [...generateVolume(options, 2).voxels]);
  assert.is.not(generateVolume({ ...options, seed: 6 }, 2).voxels.join(), a.voxels.join());
  assert.equal([...generateVolumesStore(options, 2, 2).volumes[0]!.labels], [...generateVolumesStore(options, 4).volumes[2]!.labels]);
  assert.equal(a.shape, [16, 16, 16, 1]);
  const mean = (label: number) => {
    let sum = 0;
    let n = 0;
    a.labels.forEach((l, v) => l === label && ((sum += a.voxels[v]!), n++));
    return sum / n;
  };
  assert.ok(mean(1) > mean(0) + 1, `cells ${mean(1)} vs background ${mean(0)} (standardised units)`);
  const rims = generateVolume({ ...options, classes: 3 }, 2).labels;
  assert.ok(rims.includes(2), 'three classes add a rim');
  assert.equal([...rims].map((l) => (l > 0 ? 1 : 0)), [...a.labels], 'the rim is part of the cell');
});

test('synthetic-volumes refuses other class and channel counts', () => {
  throwsGnet(() => generateVolumesStore({ ...options, classes: 4 }, 1), DATA_ERRORS.badOption, '2 classes', 'not 4');
  throwsGnet(() => generateVolumesStore({ ...options, channels: 2 }, 1), DATA_ERRORS.volumeInput, '2 channels');
});

test('patches: seeded per (seed, epoch, position), inside the volume, foreground-centred at share 1', () => {
  const volume = generateVolume(options, 0);
  const patch: VolumeShape = [8, 8, 8, 1];
  const foreground = foregroundVoxels(volume.labels);
  const draw = (share: number, seed: number, epoch: number, position: number) => drawPatchCorner(volume.shape, patch, foreground, { perVolume: 1, foreground: share }, seed, epoch, position);
  assert.equal(draw(0.5, 1, 2, 3), draw(0.5, 1, 2, 3));
  const corners = Array.from({ length: 40 }, (_, p) => draw(1, 1, 0, p));
  assert.ok(new Set(corners.map(String)).size > 10, 'patches spread over the volume');
  for (const corner of corners) {
    assert.ok(corner.every((c) => c >= 0 && c <= 8), `corner ${corner} inside`);
    const y = new Int32Array(8 ** 3);
    writePatch(volume, corner, patch, new Float32Array(8 ** 3), y, 0);
    assert.ok(y.some((label) => label > 0), `patch at ${corner} holds foreground`);
  }
  // Copying a patch (padding outside the volume with zeros) against reading voxels one by one.
  const x = new Float32Array(8 ** 3);
  const corner = [-2, 3, 10] as const;
  writePatch(volume, corner, patch, x, null, 0);
  for (const [k, j, i] of [[0, 0, 0], [2, 1, 5], [7, 7, 5], [5, 4, 6]] as const) {
    const [vk, vj, vi] = [k + corner[0], j + corner[1], i + corner[2]];
    const inside = vk >= 0 && vk < 16 && vj < 16 && vi < 16;
    assert.is(x[(k * 8 + j) * 8 + i], inside ? volume.voxels[(vk * 16 + vj) * 16 + vi] : 0, `voxel ${k},${j},${i}`);
  }
  assert.equal(tileCorners([16, 20, 8, 1], patch, 0).length, 2 * 3 * 1);
});

test('synthetic-volumes opens as volumes split for training, each epoch a new seeded set of patches', () => {
  const data = openDataset(parseDataSource('synthetic-volumes:5'), { inputShape: [16, 16, 16, 1], classes: 2, task: 'segmentation', seed: 3, sampling: { perVolume: 2, foreground: 0.5 } });
  assert.equal([data.info.count, data.info.trainCount + data.info.validationCount, data.info.testCount], [5, 5, 1]);
  assert.is(data.train.size, 2 * data.info.trainCount);
  const epoch = (e: number) => [...data.train.batches(3, { shuffle: true, seed: 3, epoch: e })];
  const [first] = epoch(0);
  assert.equal(first!.xShape, [3, 16, 16, 16, 1]);
  assert.equal(first!.yShape, [3, 16, 16, 16]);
  assert.equal([...epoch(0)[0]!.x], [...first!.x], 'the same epoch draws the same patches');
  assert.is.not(epoch(1)[0]!.x.join(), first!.x.join(), 'another epoch draws others');
});

test('folder:DIR of NIfTI images and masks: volumes of any size, tiles for evaluation', () => {
  const dir = tempDir('volumes');
  const put = (name: string, shape: VolumeShape, fill: (v: number) => number) => {
    const count = shape[0] * shape[1] * shape[2];
    writeFile(join(dir, 'images', name), encodeNifti({ shape, values: Float32Array.from({ length: count }, (_, v) => fill(v)), affine: IDENTITY_AFFINE, spacing: [1, 1, 1] }, name.endsWith('.gz')));
    writeFile(join(dir, 'masks', name), encodeNifti({ shape, values: Uint8Array.from({ length: count }, (_, v) => (fill(v) > 0.5 ? 1 : 0)), affine: IDENTITY_AFFINE, spacing: [1, 1, 1] }, name.endsWith('.gz')));
  };
  put('a.nii.gz', [8, 10, 12, 1], (v) => (v % 3) / 2);
  put('b.nii', [12, 8, 8, 1], (v) => (v % 5) / 4);
  const data = openDataset(parseDataSource(`folder:${dir}`), { inputShape: [8, 8, 8, 1], classes: 2, task: 'segmentation', seed: 0, validationSplit: 0.5 });
  assert.is(data.info.count, 2);
  const tiles = [...data.validation.batches(8)].reduce((n, b) => n + b.xShape[0]!, 0);
  assert.ok(tiles === 1 * 2 * 2 || tiles === 2 * 1 * 1, `tiles of the validation volume: ${tiles}`);
  throwsGnet(() => openDataset(parseDataSource(`folder:${dir}`), { inputShape: [8, 8, 8, 1], classes: 2, task: 'classification', seed: 0 }), DATA_ERRORS.badOption);
  throwsGnet(() => openDataset(parseDataSource(`folder:${dir}`), { inputShape: [8, 8, 8, 2], classes: 2, task: 'segmentation', seed: 0 }), DATA_ERRORS.volumeInput, 'a.nii.gz', '1 channel(s)');
  writeFile(join(dir, 'images', 'c.nii'), encodeNifti({ shape: [8, 8, 8, 1], values: new Float32Array(512), affine: IDENTITY_AFFINE, spacing: [1, 1, 1] }, false));
  throwsGnet(() => openDataset(parseDataSource(`folder:${dir}`), { inputShape: [8, 8, 8, 1], classes: 2, task: 'segmentation', seed: 0 }), DATA_ERRORS.folderLayout, 'c.nii', 'mask of the same name');
});

test('volumes to an image network, images to a volume network: GN7016', () => {
  throwsGnet(() => openDataset(parseDataSource('synthetic-volumes:2'), { inputShape: [16, 16, 1], classes: 2, task: 'segmentation', seed: 0 }), DATA_ERRORS.volumeInput, 'synthetic-volumes holds volumes');
  throwsGnet(() => openDataset(parseDataSource('synthetic-cells:4'), { inputShape: [16, 16, 16, 1], classes: 2, task: 'segmentation', seed: 0 }), DATA_ERRORS.volumeInput, 'takes volumes', 'synthetic-cells holds images');
});

test.run();
