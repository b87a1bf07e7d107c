/**
 * A network on volume patches end to end: `gnet train` on a folder of small NIfTI volumes (TensorFlow.js
 * cpu), `gnet predict` of a volume larger than the patch and of another shape (a NIfTI mask on the
 * volume's grid with its affine), `gnet eval` with Dice per class over whole volumes, and the refusals.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalRun } from '../../cli/commands/eval.js';
import { predict } from '../../cli/commands/predict.js';
import { encodeNifti } from '../../runtime/data/nifti-write.js';
import { readNiftiFile } from '../../runtime/data/nifti.js';
import { generateVolume } from '../../runtime/data/synthetic-volumes.js';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';
import { tempDir, useCpu } from './fixtures.js';
import { captureOutput } from './output.js';

await useCpu();

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEC = `network Tiny3D(classes = 2) {
  input ct: 8 x 8 x 8 x 1
  output mask = ct -> conv(4, 3) -> groupnorm(2) -> relu -> conv(classes, 1) -> softmax
  train {
    loss = crossentropy
    optimizer = adam(lr = 0.02)
    epochs = 2
    batch = 4
    patches = 3
    metrics = [accuracy, dice]
  }
}
`;
// Rotated, scaled and shifted: the masks must come back with it.
const AFFINE = [0, -1.5, 0, 10, 2, 0, 0, -20, 0, 0, 3, 5, 0, 0, 0, 1];

function writeVolume(path: string, size: number, index: number, withMask = true): void {
  const v = generateVolume({ size, channels: 1, classes: 2, seed: 4 }, index);
  const place = { affine: AFFINE, spacing: [2, 1.5, 3] as const };
  writeFileSync(join(path, 'images', `v${index}.nii.gz`), encodeNifti({ shape: v.shape, values: v.voxels, ...place }, true));
  if (withMask) writeFileSync(join(path, 'masks', `v${index}.nii.gz`), encodeNifti({ shape: v.shape, values: v.labels, ...place }, true));
}

const data = tempDir('volume-run');
for (const folder of ['images', 'masks']) mkdirSync(join(data, folder));
for (let i = 0; i < 4; i++) writeVolume(data, 12, i);
const spec = join(data, 'tiny3d.gnet');
writeFileSync(spec, SPEC);
const run = join(tempDir('volume-run'), 'run');
const trained = spawnSync(process.execPath, [...GNET_NODE_ARGS, 'train', spec, '--backend', 'cpu', '--data', `folder:${data}`, '--validation-split', '0.25', '--out', run], { cwd: ROOT, encoding: 'utf8' });

test('gnet train on a folder of NIfTI volumes writes a run', () => {
  assert.is(trained.status, 0, trained.stderr);
  assert.ok(existsSync(join(run, 'model', 'model.json')));
});

test('gnet predict: a mask per volume with the volume\'s grid and affine, by sliding windows', async () => {
  const other = tempDir('volume-predict');
  for (const folder of ['images', 'masks']) mkdirSync(join(other, folder));
  writeVolume(other, 20, 7, false);
  const image = join(other, 'images', 'v7.nii.gz');
  const out = join(other, 'out');
  const printed = await captureOutput(() => predict(run, [image], { out, backend: 'cpu' }));
  assert.is(printed.code, 0, printed.stderr);
  const mask = readNiftiFile(join(out, 'v7.nii.gz'));
  assert.equal(mask.shape, [20, 20, 20, 1]);
  assert.equal(mask.affine, AFFINE);
  assert.equal(mask.spacing, [2, 1.5, 3]);
  assert.ok(mask.voxels.every((c) => c === 0 || c === 1), 'class indices');
  assert.match(printed.stdout, /v7\.nii\.gz: mask .*v7\.nii\.gz \(20×20×20 voxels\)/);
  assert.equal(JSON.parse(readFileSync(join(out, 'predictions.json'), 'utf8'))[0].shape, [20, 20, 20]);
});

test('gnet predict refuses what is not a NIfTI volume, before writing', async () => {
  const text = join(tempDir('volume-predict'), 'scan.png');
  writeFileSync(text, 'not a volume');
  const out = join(tempDir('volume-predict'), 'none');
  const refused = await captureOutput(() => predict(run, [text], { out, backend: 'cpu' }));
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^gnet: error\[GN0808\]: .*scan\.png is not a NIfTI volume/);
  assert.not.ok(existsSync(out));
});

test('gnet eval: loss and metrics over tiles, Dice per class over the whole validation volume', async () => {
  const printed = await captureOutput(() => evalRun(run, { backend: 'cpu', split: 'validation', json: true }));
  assert.is(printed.code, 0, printed.stderr);
  const result = JSON.parse(printed.stdout);
  assert.is(result.wholeVolumes.volumes, 1);
  assert.is(result.wholeVolumes.dice.length, 2);
  for (const d of result.wholeVolumes.dice) assert.ok(d >= 0 && d <= 1, `dice ${d}`);
  assert.is(result.images, 8, 'the 12³ volume is evaluated as 2 × 2 × 2 tiles of 8³');
});

test.run();
