/**
 * gnet's NIfTI reader and writer against nibabel (an independent implementation): nibabel writes
 * volumes (datatypes, scaling, affines, channels, gzip) that gnet must read voxel for voxel, and
 * reads back what gnet writes. Bad volumes get their codes and name the file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { encodeNifti } from '../../runtime/data/nifti-write.js';
import { readNiftiFile } from '../../runtime/data/nifti.js';
import { pairVolume } from '../../runtime/data/volume-folder.js';
import { tempDir, throwsGnet } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const dir = tempDir('nifti');

/** Runs Python with nibabel; null (and the file's tests skipped) where nibabel is missing. */
function nibabel(script: string): string | null {
  const result = spawnSync(PYTHON, ['-c', `import numpy as np, nibabel as nib\n${script}`], { encoding: 'utf8', cwd: dir });
  if (result.error || (result.status !== 0 && /No module named/.test(result.stderr))) return null;
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

// Voxel (i, j, k[, c]) holds i + 10 j + 100 k (+ 1000 c); the affine rotates, scales and shifts.
const written = nibabel(`
A = np.array([[0, -1.5, 0, 10], [2, 0, 0, -20], [0, 0, 3, 5], [0, 0, 0, 1]])
i, j, k = np.meshgrid(np.arange(5), np.arange(4), np.arange(3), indexing='ij')
v = i + 10 * j + 100 * k
img = nib.Nifti1Image(v.astype(np.int16), A)
img.header.set_slope_inter(2, 1)
nib.save(img, 'scaled.nii')
nib.save(nib.Nifti1Image(v.astype(np.float64), A), 'double.nii.gz')
two = np.stack([v, v + 1000], axis=-1).astype(np.float32)
nib.save(nib.Nifti1Image(two, A), 'channels.nii.gz')
nib.save(nib.Nifti1Image(v[..., None].astype(np.uint8), A), 'singleton.nii')
nib.save(nib.Nifti1Image(v[:, :, 0].astype(np.uint8), A), 'flat.nii')
nib.save(nib.Nifti1Image(v.astype(np.complex64), A), 'complex.nii')
nib.save(nib.Nifti1Image(v.astype(np.int64), A, dtype=np.int64), 'wide.nii')
nib.save(nib.Nifti1Image((v % 2).astype(np.uint8), A), 'mask.nii.gz')
B = A.copy(); B[0, 3] += 4
nib.save(nib.Nifti1Image((v % 2).astype(np.uint8), B), 'moved.nii.gz')
nib.save(nib.Nifti1Image(np.zeros((5, 4, 2), np.uint8), A), 'short.nii.gz')
print('ok')
`);

const AFFINE = [0, -1.5, 0, 10, 2, 0, 0, -20, 0, 0, 3, 5, 0, 0, 0, 1];
const at = (k: number, j: number, i: number) => (k * 4 + j) * 5 + i;
const path = (name: string) => join(dir, name);

if (written === null) {
  console.log(`  skipped test/data/nifti.test.ts: ${PYTHON} cannot import nibabel (apt-get install python3-nibabel)`);
} else {
  test('nibabel volumes read as [D, H, W, C] = [k, j, i, c], scaled, with the affine and the spacing', () => {
    const scaled = readNiftiFile(path('scaled.nii'));
    assert.equal(scaled.shape, [3, 4, 5, 1]);
    assert.equal(scaled.affine, AFFINE);
    assert.equal(scaled.spacing, [2, 1.5, 3]);
    assert.is(scaled.voxels[at(2, 3, 4)], 2 * (4 + 30 + 200) + 1);
    assert.is(scaled.voxels[at(1, 0, 2)], 2 * (2 + 100) + 1);
    const double = readNiftiFile(path('double.nii.gz'));
    assert.equal([...double.voxels], Array.from({ length: 60 }, (_, v) => (v % 5) + 10 * (Math.floor(v / 5) % 4) + 100 * Math.floor(v / 20)));
    const channels = readNiftiFile(path('channels.nii.gz'));
    assert.equal(channels.shape, [3, 4, 5, 2]);
    assert.equal([channels.voxels[2 * at(2, 1, 3)], channels.voxels[2 * at(2, 1, 3) + 1]], [213, 1213]);
    assert.equal(readNiftiFile(path('singleton.nii')).shape, [3, 4, 5, 1], 'X×Y×Z×1 is a 3-D volume');
  });

  test('what gnet writes nibabel reads: shape, voxels, affine, spacing (uint8 and float32, .nii and .nii.gz)', () => {
    const mask = Uint8Array.from({ length: 60 }, (_, v) => v % 7);
    const scores = Float32Array.from({ length: 120 }, (_, v) => v / 8);
    writeFileSync(path('gnet-mask.nii.gz'), encodeNifti({ shape: [3, 4, 5, 1], values: mask, affine: AFFINE, spacing: [2, 1.5, 3] }, true));
    writeFileSync(path('gnet-scores.nii'), encodeNifti({ shape: [3, 4, 5, 2], values: scores, affine: AFFINE, spacing: [2, 1.5, 3] }, false));
    const read = JSON.parse(
      nibabel(`
import json
m = nib.load('gnet-mask.nii.gz'); s = nib.load('gnet-scores.nii')
print(json.dumps({'mshape': m.shape, 'mtype': str(m.get_data_dtype()), 'm': m.get_fdata()[3, 2, 1], 'affine': m.affine.ravel().tolist(),
  'zooms': [float(z) for z in m.header.get_zooms()], 'sshape': s.shape, 's': s.get_fdata()[4, 3, 2, 1]}))`)!,
    );
    assert.equal(read.mshape, [5, 4, 3]);
    assert.is(read.mtype, 'uint8');
    assert.is(read.m, mask[at(1, 2, 3)]);
    assert.equal(read.affine, AFFINE);
    assert.equal(read.zooms, [2, 1.5, 3]);
    assert.equal(read.sshape, [5, 4, 3, 2]);
    assert.is(read.s, scores[2 * at(2, 3, 4) + 1]);
    assert.equal(readNiftiFile(path('gnet-mask.nii.gz')).voxels, Float32Array.from(mask), 'gnet reads its own file back');
  });

  test('files that are not NIfTI, or cut short, are GN7010 naming the file', () => {
    writeFileSync(path('text.nii'), 'not a volume at all '.repeat(30));
    throwsGnet(() => readNiftiFile(path('text.nii')), DATA_ERRORS.notNifti, path('text.nii'), 'NIfTI');
    const whole = readFileSync(path('scaled.nii'));
    writeFileSync(path('cut.nii'), whole.subarray(0, whole.length - 20));
    throwsGnet(() => readNiftiFile(path('cut.nii')), DATA_ERRORS.notNifti, path('cut.nii'), 'truncated', '5×4×3 voxels');
    throwsGnet(() => readNiftiFile(path('absent.nii')), DATA_ERRORS.missingFile, path('absent.nii'));
  });

  test('a damaged gzip stream is GN7011', () => {
    const gz = readFileSync(path('double.nii.gz'));
    writeFileSync(path('cut.nii.gz'), gz.subarray(0, gz.length >> 1));
    throwsGnet(() => readNiftiFile(path('cut.nii.gz')), DATA_ERRORS.badGzip, path('cut.nii.gz'), 'gzip -t');
    const flipped = Uint8Array.from(gzipSync(readFileSync(path('scaled.nii'))));
    flipped[flipped.length - 6]! ^= 0xff; // the CRC
    writeFileSync(path('crc.nii.gz'), flipped);
    throwsGnet(() => readNiftiFile(path('crc.nii.gz')), DATA_ERRORS.badGzip, path('crc.nii.gz'));
  });

  test('a 2-D image, or a mask with channels, is GN7012; complex and 64-bit integers are GN7013', () => {
    throwsGnet(() => readNiftiFile(path('flat.nii')), DATA_ERRORS.badDimensions, path('flat.nii'), '2 dimension(s)', '[5×4]');
    throwsGnet(() => pairVolume(path('scaled.nii'), path('channels.nii.gz')), DATA_ERRORS.badDimensions, path('channels.nii.gz'), '2 components');
    throwsGnet(() => readNiftiFile(path('complex.nii')), DATA_ERRORS.unsupportedDatatype, path('complex.nii'), 'complex64');
    throwsGnet(() => readNiftiFile(path('wide.nii')), DATA_ERRORS.unsupportedDatatype, path('wide.nii'), 'int64');
  });

  test('a mask on another grid is GN7014, one placed elsewhere GN7015; a matching pair is standardised', () => {
    throwsGnet(() => pairVolume(path('scaled.nii'), path('short.nii.gz')), DATA_ERRORS.volumeShapeMismatch, path('short.nii.gz'), '5×4×2', '5×4×3');
    throwsGnet(() => pairVolume(path('scaled.nii'), path('moved.nii.gz')), DATA_ERRORS.affineMismatch, path('moved.nii.gz'), path('scaled.nii'));
    const volume = pairVolume(path('scaled.nii'), path('mask.nii.gz'));
    assert.equal([...volume.labels.subarray(0, 6)], [0, 1, 0, 1, 0, 0]);
    const mean = volume.voxels.reduce((s, v) => s + v, 0) / 60;
    const variance = volume.voxels.reduce((s, v) => s + (v - mean) ** 2, 0) / 60;
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-4, `standardised: mean ${mean}, variance ${variance}`);
  });
}

test.run();
