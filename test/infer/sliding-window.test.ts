/**
 * Whole-volume prediction by sliding windows: windows laid over volumes of any size (smaller or
 * larger than the patch, odd sizes), networks whose output window is the patch or its centre, and the
 * stitched scores checked against a voxel-wise computation that needs no windows at all.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VolumeShape } from '../../runtime/data/types.js';
import { IDENTITY_AFFINE, type Volume } from '../../runtime/data/volume-store.js';
import { gaussianImportance, type PatchPredictor } from '../../runtime/infer/sliding-window.js';
import { addVolumeCounts, dicePerClass, segmentVolume } from '../../runtime/infer/segment-volume.js';

function volume(shape: VolumeShape): Volume {
  const voxels = Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, (_, v) => Math.sin(v * 0.37) + 0.3 * Math.cos(v * 1.3));
  return { name: 'test', shape, voxels, labels: new Uint8Array(voxels.length), affine: IDENTITY_AFFINE, spacing: [1, 1, 1] };
}

/**
 * A voxel-wise "network" on [n, p, p, p, 1] patches: class 1 scores sigmoid(4x) for voxel value x,
 * output the central `out`³ voxels (out = p: the whole patch).
 */
function voxelwise(p: number, out: number): PatchPredictor {
  const margin = (p - out) / 2;
  return async (x, shape) => {
    const n = shape[0]!;
    const values = new Float32Array(n * out ** 3 * 2);
    for (let s = 0; s < n; s++) {
      for (let k = 0; k < out; k++) for (let j = 0; j < out; j++) for (let i = 0; i < out; i++) {
        const value = x[s * p ** 3 + ((k + margin) * p + j + margin) * p + i + margin]!;
        const one = 1 / (1 + Math.exp(-4 * value));
        const at = ((s * out + k) * out + j) * out + i;
        values.set([1 - one, one], 2 * at);
      }
    }
    return { values, shape: [n, out, out, out, 2] };
  };
}

for (const [shape, patch, out, overlap] of [
  [[20, 17, 9, 1], 8, 8, 0.5],
  [[5, 6, 7, 1], 8, 8, 0.5],
  [[23, 12, 16, 1], 12, 6, 0.25],
  [[13, 13, 13, 1], 10, 4, 0],
] as const) {
  test(`a ${shape.slice(0, 3).join('×')} volume through ${patch}³ windows (output ${out}³, overlap ${overlap}) equals the voxel-wise result`, async () => {
    const v = volume(shape);
    const classes = await segmentVolume(v, { predict: voxelwise(patch, out), patch: [patch, patch, patch, 1], output: [out, out, out, 2], probabilities: true }, overlap, 3);
    assert.is(classes.length, v.voxels.length);
    const expected = Uint8Array.from(v.voxels, (x) => (x > 0 ? 1 : 0));
    assert.equal([...classes], [...expected]);
  });
}

test('Gaussian importance: 1 at the centre, symmetric, falling off towards the faces, never 0', () => {
  const w = gaussianImportance([6, 6, 6]);
  const at = (k: number, j: number, i: number) => w[(k * 6 + j) * 6 + i]!;
  assert.ok(Math.abs(at(2, 2, 2) - 1) < 1e-6 && Math.abs(at(3, 3, 3) - 1) < 1e-6);
  assert.is(at(0, 1, 2), at(5, 4, 3));
  assert.ok(at(0, 2, 2) < at(1, 2, 2) && at(0, 0, 0) > 0);
});

test('Dice per class from voxel counts: 2·TP / (2·TP + FP + FN), none for an absent class', () => {
  const counts = new Array<number>(9).fill(0);
  addVolumeCounts(counts, Uint8Array.from([0, 0, 1, 1, 1, 0]), Uint8Array.from([0, 1, 1, 1, 0, 0]), 3);
  assert.equal(dicePerClass(counts, 3), [(2 * 2) / (2 * 2 + 1 + 1), (2 * 2) / (2 * 2 + 1 + 1), null]);
});

test.run();
