/**
 * The torch engine trains networks on volume patches as TensorFlow.js does: the same patches (drawn
 * by gnet_torch/sampling.py as runtime/data/patches.ts draws them: order, foreground share, corners),
 * the same 3-D layers, so the same losses, validation on the same tiles and the same weights.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNifti } from '../../runtime/data/nifti-write.js';
import { generateVolume } from '../../runtime/data/synthetic-volumes.js';
import { readLog } from '../../runtime/train/log.js';
import { torchTestsRun } from './helpers.js';
import { ROOT, gnet, maxWeightDifference, readCheckpoint, tempRun } from './train-helpers.js';

const SPEC = join(ROOT, 'test/torch/fixtures/train-volumes.gnet');
const runs = torchTestsRun('train-volumes.test.ts');

/** Four 16³ synthetic volumes as a folder of NIfTI images and masks (small, so tfjs trains in seconds). */
function volumeFolder(): string {
  const dir = tempRun('volume-data');
  for (let i = 0; i < 4; i++) {
    const v = generateVolume({ size: 16, channels: 1, classes: 2, seed: 3 }, i);
    const place = { affine: v.affine, spacing: v.spacing };
    for (const [folder, values] of [['images', v.voxels], ['masks', v.labels]] as const) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, `v${i}.nii.gz`), encodeNifti({ shape: v.shape, values, ...place }, true));
    }
  }
  return dir;
}

async function train(backend: string, data: string): Promise<string> {
  const out = tempRun('volumes');
  const { code, stderr } = await gnet(['train', SPEC, '--backend', backend, '--data', `folder:${data}`, '--out', out]).exited;
  assert.is(code, 0, stderr);
  return out;
}

if (runs) {
  test('torch and tfjs cpu train a 3-D network on the same patches to the same weights', async () => {
    const data = volumeFolder();
    const [onCpu, onTorch] = await Promise.all([train('cpu', data), train('torch', data)]);
    const [cpu, torch] = [readLog(join(onCpu, 'log.jsonl'))[0]!, readLog(join(onTorch, 'log.jsonl'))[0]!];
    assert.ok(Math.abs(cpu.loss - torch.loss) < 1e-4, `train loss ${cpu.loss} vs ${torch.loss}`);
    assert.ok(Math.abs(cpu.validation!.loss - torch.validation!.loss) < 1e-4, `validation loss ${cpu.validation!.loss} vs ${torch.validation!.loss}`);
    assert.ok(Math.abs((cpu.validation!.metrics.dice as number) - (torch.validation!.metrics.dice as number)) < 1e-3, `validation dice ${cpu.validation!.metrics.dice} vs ${torch.validation!.metrics.dice}`);
    const difference = maxWeightDifference(readCheckpoint(onCpu), readCheckpoint(onTorch));
    console.log(`  losses ${cpu.loss} / ${torch.loss}, validation ${cpu.validation!.loss} / ${torch.validation!.loss}, weights differ by ${difference.toExponential(1)}`);
    assert.ok(difference < 1e-4, `weights differ by ${difference}`);
  });
}

test.run();
