/**
 * The generated modules in a plain PyTorch loop (torch.optim.SGD, F.cross_entropy, no gnet helper):
 * the README's PyTorch section, run as written, trains the reference network on Fashion-MNIST (its
 * loss falls, its test accuracy is far above chance) and its deployed TorchScript and ONNX load without
 * gnet's code; GaussUNet learns to segment synthetic cells.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateCellsStore, SYNTHETIC_CELLS_SEED } from '../../runtime/data/synthetic-cells.js';
import { networkNamed, REPO } from '../codegen/helpers.js';
import { ENGINE_TOLERANCE, onnxError, runWithoutGnet } from './exports.js';
import { runPython, torchOutDir, torchTestsRun, writeTorchModule } from './helpers.js';
import { smallNetwork } from './zoo.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const runs = torchTestsRun('test/torch/plain-loop.test.ts');
const hasFashion = existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
if (runs && !hasFashion) console.log(`  skipped the Fashion-MNIST loop: ${FASHION} is missing (apt-get install dataset-fashion-mnist)`);

/** The Python blocks of the README's "PyTorch target" section, in order. */
function readmePython(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## PyTorch target\n'), readme.indexOf("### The paper's comparisons"));
  const blocks = [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 2, 'the section shows the loop and the export');
  return blocks.join('\n');
}

/** After the README's code: the deployed module's outputs on test images, for onnxruntime and a process without gnet. */
const EPILOGUE = String.raw`
from gnet_torch.tensorfile import write_tensors
with torch.no_grad():
    expected = model(test_images[:5])
np.savez('inputs.npz', image=test_images[:5].numpy())
np.savez('expected.npz', probs=expected.numpy())
write_tensors('inputs.bin', {'image': test_images[:5].numpy()})
write_tensors('expected.bin', {'probs': expected.numpy()})
`;

interface Epoch {
  readonly first: number;
  readonly mean: number;
  readonly accuracy: number;
}

const epochs = (printed: string): Epoch[] =>
  [...printed.matchAll(/first loss ([\d.]+), mean loss ([\d.]+), test accuracy ([\d.]+)/g)].map((m) => ({ first: Number(m[1]), mean: Number(m[2]), accuracy: Number(m[3]) }));

(runs && hasFashion ? test : test.skip)("the README's plain loop trains the reference network on Fashion-MNIST; its TorchScript and ONNX need no gnet", async () => {
  const dir = torchOutDir();
  writeTorchModule(dir, networkNamed('Reference'));
  const printed = runPython(dir, readmePython() + EPILOGUE);
  console.log(printed.trim().replace(/^/gm, '  '));
  const seen = epochs(printed);
  assert.is(seen.length, 3);
  assert.ok(seen[0]!.first > 2, `the first loss ${seen[0]!.first} is about ln 10`);
  assert.ok(seen.at(-1)!.mean < 0.6 * seen[0]!.first, `the loss falls: ${seen.map((e) => e.mean).join(' → ')}`);
  assert.ok(seen.at(-1)!.accuracy > 0.45, `test accuracy ${seen.at(-1)!.accuracy} against 0.1 by chance`);
  const onnx = await onnxError(dir, 'Reference.onnx');
  assert.ok(onnx <= ENGINE_TOLERANCE, `Reference.onnx in onnxruntime: relative error ${onnx}`);
  const fresh = runWithoutGnet([join(dir, 'Reference.pt'), join(dir, 'Reference-deployed.pt')]);
  assert.not.ok(fresh.gnetImportable);
  for (const [file, error] of Object.entries(fresh.errors)) assert.ok(error <= ENGINE_TOLERANCE, `${file} without gnet: relative error ${error}`);
});

const CELLS_LOOP = String.raw`
import json
import numpy as np
import torch
import torch.nn.functional as F
from GaussUNet import GaussUNet

images = torch.from_numpy(np.fromfile('images.u8', np.uint8).reshape(-1, 32, 32, 3)).permute(0, 3, 1, 2).float().div(255)
masks = torch.from_numpy(np.fromfile('masks.u8', np.uint8).reshape(-1, 32, 32)).long()
train_images, train_masks, test_images, test_masks = images[:200], masks[:200], images[200:], masks[200:]
torch.manual_seed(0)
model = GaussUNet(seed=0)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
epochs = []
for epoch in range(3):
    model.train()
    losses = []
    for batch in torch.randperm(len(train_images)).split(8):
        probs = model(train_images[batch])
        loss = F.cross_entropy(torch.log(probs.clamp_min(1e-7)), train_masks[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        predicted = model(test_images).argmax(1)
    nucleus, truth = predicted == 1, test_masks == 1
    epochs.append({'first': losses[0], 'mean': sum(losses) / len(losses), 'accuracy': (predicted == test_masks).float().mean().item(),
                   'iou': ((nucleus & truth).sum() / (nucleus | truth).sum()).item(), 'background': 1 - truth.float().mean().item()})
print(json.dumps(epochs))
`;

(runs ? test : test.skip)('GaussUNet (32×32) learns to segment synthetic cells in a plain loop', () => {
  const dir = torchOutDir();
  const store = generateCellsStore({ height: 32, width: 32, channels: 3, classes: 2, seed: SYNTHETIC_CELLS_SEED }, 240);
  writeFileSync(join(dir, 'images.u8'), store.pixels);
  writeFileSync(join(dir, 'masks.u8'), store.labels);
  writeTorchModule(dir, smallNetwork('specs/gauss-unet.gnet', 'GaussUNet', 32));
  const seen = JSON.parse(runPython(dir, CELLS_LOOP)) as { first: number; mean: number; accuracy: number; iou: number; background: number }[];
  const last = seen.at(-1)!;
  console.log(`  GaussUNet: mean loss ${seen.map((e) => e.mean.toFixed(3)).join(' → ')}, pixel accuracy ${last.accuracy.toFixed(3)} (all background: ${last.background.toFixed(3)}), nucleus IoU ${last.iou.toFixed(3)}`);
  assert.ok(last.mean < 0.3 * seen[0]!.first, `the loss falls: ${seen[0]!.first} → ${last.mean}`);
  assert.ok(last.accuracy > last.background + 0.1, `pixel accuracy ${last.accuracy} against ${last.background} for all background`);
  assert.ok(last.iou > 0.6, `nucleus IoU ${last.iou}`);
});

test.run();
