/**
 * Weight conversion between gnet's layouts and torch's, on its own: every layout (conv hwio, grouped
 * conv, depthwise hwcm, conv-transpose hwoi, dense and squeeze-excitation io, the rest unchanged)
 * moves each element where torch expects it, converts back unchanged both ways, refuses wrong shapes
 * with a message; and a module's constructor draws the values the TypeScript module's createWeights draws
 * (gauss with either mix_init, dau).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transpileModule } from '../../compiler/codegen/index.js';
import { compileSource } from '../../compiler/program.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { readTensors, writeTensors } from '../../runtime/torch/tensor-file.js';
import { analysed, generate } from '../codegen/helpers.js';
import { runPython, torchOutDir, torchTestsRun, writeTorchModule } from './helpers.js';

await tf.setBackend('cpu');
const runs = torchTestsRun('test/torch/weights.test.ts');
const maybe = runs ? test : test.skip;

const SOURCE = `network Layouts {
  input image: 6 x 6 x 4
  a = image -> conv(6, size = [3, 2]) -> conv(6, groups = 2) -> depthwise([2, 3], multiplier = 2) -> conv_transpose(3, [2, 3], stride = 2)
  b = a -> se(1) -> gauss(4, size = 3, bases = 2, mix = separated) -> gauss(4, size = 3, mix_init = uniform) -> dau(4, 3, units = 2)
  c = b -> gauss(4, size = 3, bases = 2, mix = separated, mix_init = uniform) -> batchnorm -> global_avgpool -> dense(5)
  output y = c
}`;

const network = () => {
  const program = compileSource(SOURCE, 'layouts.gnet');
  return analysed(program.graphs[0]!, program.sources);
};

/** Python: for every weight, the torch array's elements against gnet's by explicit index maps, and both round trips. */
const CHECK = String.raw`
import json, sys, itertools
import numpy as np
from gnet_torch import load_module
from gnet_torch.weights import from_gnet, to_gnet, load_gnet_weights, gnet_weights
Net, META = load_module(sys.argv[1])
rng = np.random.default_rng(0)
report = {'layouts': {}, 'errors': []}
def expect(ok, what):
    if not ok: report['errors'].append(what)
arrays = {}
for w in META['weights']:
    g = rng.standard_normal(w['shape']).astype(np.float32)
    arrays[w['name']] = g
    t = from_gnet(META, w['name'], g)
    layout = w['layout']
    report['layouts'].setdefault(layout, []).append(w['name'])
    s = w['shape']
    if layout == 'hwio':
        expect(t.shape == (s[3], s[2], s[0], s[1]), w['name'] + ' shape')
        expect(all(t[o, i, y, x] == g[y, x, i, o] for y, x, i, o in itertools.product(*map(range, s))), w['name'] + ' hwio elements')
    elif layout == 'hwoi':
        expect(t.shape == (s[3], s[2], s[0], s[1]), w['name'] + ' shape')
        expect(all(t[i, o, y, x] == g[y, x, o, i] for y, x, o, i in itertools.product(*map(range, s))), w['name'] + ' hwoi elements')
    elif layout == 'hwcm':
        expect(t.shape == (s[2] * s[3], 1, s[0], s[1]), w['name'] + ' shape')
        expect(all(t[c * s[3] + j, 0, y, x] == g[y, x, c, j] for y, x, c, j in itertools.product(*map(range, s))), w['name'] + ' hwcm elements')
    elif layout == 'io':
        expect(t.shape == (s[1], s[0]) and (t == g.T).all(), w['name'] + ' io')
    else:
        expect(layout == 'same' and (t == g).all(), w['name'] + ' same')
    expect((to_gnet(META, w['name'], t) == g).all(), w['name'] + ' gnet -> torch -> gnet')
    expect((from_gnet(META, w['name'], to_gnet(META, w['name'], t)) == t).all(), w['name'] + ' torch -> gnet -> torch')
model = Net()
load_gnet_weights(model, META, arrays)
state = model.state_dict()
for w in META['weights']:
    expect(tuple(state[w['torch']].shape) == from_gnet(META, w['name'], arrays[w['name']]).shape, w['name'] + ' fits the module')
back = gnet_weights(model, META)
expect(list(back) == [w['name'] for w in META['weights']], 'gnet_weights keeps META order')
expect(all((back[n] == arrays[n]).all() for n in arrays), 'module round trip')
try:
    from_gnet(META, META['weights'][0]['name'], np.zeros((1, 2, 3)))
    expect(False, 'a wrong shape is refused')
except ValueError as e:
    report['shapeMessage'] = str(e)
print(json.dumps(report))
`;

maybe('every layout puts each element where torch expects it and converts back unchanged both ways', () => {
  const dir = torchOutDir();
  const path = writeTorchModule(dir, network());
  const report = JSON.parse(runPython(dir, CHECK, [path])) as { layouts: Record<string, string[]>; errors: string[]; shapeMessage?: string };
  assert.equal(report.errors, []);
  assert.equal(Object.keys(report.layouts).sort(), ['hwcm', 'hwio', 'hwoi', 'io', 'same']);
  assert.equal(report.layouts.io!.sort(), ['b.se/w1', 'b.se/w2', 'c.dense/kernel']);
  assert.equal(report.layouts.hwio, ['a.conv/kernel', 'a.conv_1/kernel']);
  assert.match(report.shapeMessage ?? '', /has shape \[1, 2, 3\], expected the gnet shape \[3, 2, 4, 6\]/);
});

maybe("the module's constructor draws the values of the TypeScript module's createWeights (same seed, same streams)", async () => {
  const dir = torchOutDir();
  const net = network();
  const path = writeTorchModule(dir, net);
  const module = await importGenerated(transpileModule(generate(net)));
  const weights = module.createWeights(5);
  const file = join(dir, 'ts-weights.bin');
  writeTensors(file, new Map(module.meta.weights.map((w) => [w.name, { shape: w.shape, values: weights[w.name]!.dataSync() as Float32Array }])));
  const out = join(dir, 'py-weights.bin');
  runPython(
    dir,
    `import sys\nfrom gnet_torch import load_module\nfrom gnet_torch.weights import gnet_weights\nfrom gnet_torch.tensorfile import write_tensors\nNet, META = load_module(sys.argv[1])\nwrite_tensors(sys.argv[2], gnet_weights(Net(5), META))`,
    [path, out],
  );
  const drawn = readTensors(out).arrays;
  for (const w of module.meta.weights) {
    const [want, got] = [Float32Array.from(weights[w.name]!.dataSync()), drawn.get(w.name)!.values];
    const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
    assert.ok(worst <= 1e-6 * Math.max(1, ...Array.from(want, Math.abs)), `${w.name} (${w.init.kind}): differs by ${worst}`);
  }
  tf.dispose(weights);
});

test.run();
