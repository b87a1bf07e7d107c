/**
 * Parts of the Python runtime the equivalence tests do not reach: dropout's masks (seeded by state,
 * inverted scaling, identity at inference), feature random enhancement's channels (the TypeScript
 * runtime's choice), the σ clamp, the deployed gauss kernel, and tensor files between the engines.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseChannels } from '../../runtime/blocks/feature-random-enhance.js';
import { createRng } from '../../runtime/rng.js';
import { readTensors, writeTensors } from '../../runtime/torch/tensor-file.js';
import { runPython, torchOutDir, torchTestsRun } from './helpers.js';

const runs = torchTestsRun('test/torch/runtime.test.ts');
const maybe = runs ? test : test.skip;

const DROPOUT = String.raw`
import json, torch, gnet_torch as gt
layer = gt.Dropout(0.25, 'a.dropout')
x = torch.ones(4, 8, 16, 16)
state = {'seed': 3, 'epoch': 1, 'step': 2}
layer.train()
y1, y2 = layer(x, state), layer(x, state)
y3 = layer(x, {**state, 'step': 3})
layer.eval()
print(json.dumps({'same': bool((y1 == y2).all()), 'differs': bool((y1 != y3).any()),
                  'kept': float((y1 != 0).float().mean()), 'values': sorted(set(y1.flatten().tolist())),
                  'eval': bool((layer(x, state) == x).all())}))
`;

maybe('dropout: the same state drops the same values, another step others; kept values scaled by 1/(1-rate); identity at inference', () => {
  const got = JSON.parse(runPython(torchOutDir(), DROPOUT));
  assert.ok(got.same && got.differs && got.eval, JSON.stringify(got));
  assert.ok(Math.abs(got.kept - 0.75) < 0.02, `kept ${got.kept}`);
  assert.equal(got.values, [0, 1 / 0.75].map((v) => Math.fround(v)));
});

maybe('fre enhances the channels the TypeScript runtime draws for (seed, key, epoch), only while training', () => {
  const code = String.raw`
import json, torch, gnet_torch as gt
layer = gt.FeatureRandomEnhance(3, 2.5, 'e1.fre')
x = torch.ones(2, 10, 3, 3)
layer.train()
y = layer(x, {'seed': 9, 'epoch': 4, 'step': 0})
layer.eval()
print(json.dumps({'channels': [c for c in range(10) if y[0, c, 0, 0] == 2.5], 'eval': bool((layer(x) == x).all())}))
`;
  const got = JSON.parse(runPython(torchOutDir(), code));
  assert.equal(got.channels, chooseChannels(10, 3, createRng(9, 'e1.fre/fre@4')).sort((a, b) => a - b));
  assert.ok(got.eval);
});

maybe('constrain clamps σ to 0.2; the deployed kernel computes what the layer computes', () => {
  const code = String.raw`
import json, torch, gnet_torch as gt
import torch.nn.functional as F
torch.manual_seed(0)
layer = gt.Gauss(3, 4, (5, 5), order=2, bases=2, mix='separated', stride=(1, 1), padding=(2, 2, 2, 2), lowering='separated')
for p in layer.parameters():
    torch.nn.init.normal_(p, 0, 0.5)
meta = {'weights': [{'torch': 'g.sigma', 'minValue': 0.2}]}
class Holder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.g = layer
holder = Holder()
with torch.no_grad():
    layer.sigma.abs_().add_(0.3)
    layer.sigma[0, 0, 0] = -1.0
gt.constrain(holder, meta)
x = torch.randn(2, 3, 9, 9)
deployed = F.conv2d(F.pad(x, (2, 2, 2, 2)), layer.deployed_kernel())
print(json.dumps({'min': float(layer.sigma.min()), 'deployed': float((deployed - layer(x)).abs().max() / layer(x).abs().max())}))
`;
  const got = JSON.parse(runPython(torchOutDir(), code));
  assert.is(Math.fround(got.min), Math.fround(0.2));
  assert.ok(got.deployed < 1e-5, `deployed differs by ${got.deployed}`);
});

maybe('tensor files written by either engine read back the same in the other', () => {
  const dir = torchOutDir();
  const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 1e3);
  writeTensors(join(dir, 'a.bin'), new Map([['x/y é', { shape: [2, 3, 4], values }], ['empty', { shape: [0], values: new Float32Array(0) }]]), { note: 'hi' });
  runPython(dir, `import sys\nfrom gnet_torch.tensorfile import read_tensors, write_tensors\nh, a = read_tensors('a.bin')\nassert h['note'] == 'hi'\nwrite_tensors('b.bin', {k + '!': v * 2 for k, v in a.items()}, {'seen': list(a)})`);
  const back = readTensors(join(dir, 'b.bin'));
  assert.equal(back.header.seen, ['x/y é', 'empty']);
  assert.equal(back.arrays.get('x/y é!')!.shape, [2, 3, 4]);
  assert.equal([...back.arrays.get('x/y é!')!.values], [...values].map((v) => Math.fround(v * 2)));
  assert.equal(back.arrays.get('empty!')!.shape, [0]);
});

test.run();
