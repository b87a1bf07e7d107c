/**
 * The generated module as a PyTorch user meets it: the constructor draws gnet's weights from its seed
 * (finite outputs at once), forward takes a tensor (or a dict) and returns a tensor for one output and a
 * dict for several; torch's own classes where the semantics match (Conv2d with its own padding when
 * TensorFlow's is symmetric, BatchNorm2d with Keras' momentum converted, Linear, Dropout), which fusion
 * and SyncBatchNorm recognise; batch norm warms up by its own counter without a state (checked against
 * the Keras rule in float64) exactly as with gnet's state; dropout and fre draw from torch's generator;
 * no state_dict name is a keyword; every layer prints its settings; σ below zero stays harmless.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSource } from '../../compiler/program.js';
import { analysed, networkNamed } from '../codegen/helpers.js';
import { runPython, torchOutDir, torchTestsRun, writeTorchModule } from './helpers.js';

const runs = torchTestsRun('test/torch/module.test.ts');
const maybe = runs ? test : test.skip;

const PLAIN = `network Plain {
  input image: 8 x 8 x 3
  a = image -> conv(4, 3) -> batchnorm(momentum = 0.9) -> relu -> fre(2, factor = 3.0) -> conv(6, 3, stride = 2)
  b = a -> gauss(8, 3, order = 1, bases = 2, mix = separated) -> batchnorm -> dropout(0.5)
  output probs = b -> global_avgpool -> dense(3) -> softmax
}`;

/** Python: what the module and its layers do, as JSON. */
const BEHAVIOUR = String.raw`
import json, keyword, sys
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
import gnet_torch as gt
from gnet_torch import load_module

Plain, META = load_module(sys.argv[1])
Twins, TWINS = load_module(sys.argv[2])
report = {}
torch.manual_seed(0)

# Construction: the weights are drawn, the output is finite.
model = Plain()
x = torch.rand(5, 3, 8, 8)
model.eval()
y = model(x)
report['tensorOut'] = [type(y).__name__, list(y.shape), bool(torch.isfinite(y).all())]
report['dictIn'] = bool(torch.equal(model({'image': x}), y))
report['seeded'] = [bool(torch.equal(Plain(0).b_gauss.sigma, model.b_gauss.sigma)), bool(torch.equal(Plain(1).b_gauss.sigma, model.b_gauss.sigma))]
twins = Twins()
outs = twins({'left': torch.rand(2, 2, 8, 8), 'right': torch.rand(2, 2, 8, 8), 'extra': torch.rand(2, 5)})
report['twins'] = {k: list(v.shape) for k, v in outs.items()}

# Native classes and torch's names.
report['native'] = [isinstance(model.a_conv, nn.Conv2d), isinstance(model.a_batchnorm, nn.BatchNorm2d), isinstance(model.b_dropout, nn.Dropout),
                    isinstance(model.probs_dense, nn.Linear)]
report['conv'] = [model.a_conv.padding, model.a_conv.tf_padding, model.a_conv_1.padding, model.a_conv_1.tf_padding]
bn = model.a_batchnorm
report['bn'] = [bn.momentum, bn.eps, bn.keras_momentum]
report['keywords'] = [k for k in model.state_dict() if any(keyword.iskeyword(part) or not part.isidentifier() for part in k.split('.'))]
report['lambda'] = [w['torch'] for w in META['weights'] if w['name'].endswith('/lambda')]
report['repr'] = {name: repr(m) for name, m in model.named_children()}

# Asymmetric TensorFlow padding: an explicit pad then the convolution, as F.pad + F.conv2d would.
conv = model.a_conv_1
z = torch.rand(2, 4, 8, 8)
report['asymmetric'] = float((conv(z) - F.conv2d(F.pad(z, (0, 1, 0, 1)), conv.weight, conv.bias, 2)).abs().max())

# Batch norm warms up by its own step count without a state, exactly as with gnet's state.
def statistics_after(steps, with_state):
    torch.manual_seed(1)
    layer = gt.BatchNorm2d(3, momentum=0.9)
    layer.train()
    for step in range(steps):
        layer(torch.randn(4, 3, 5, 5) * (step + 1) + step, {'seed': 0, 'epoch': 0, 'step': step} if with_state else None)
    return layer

def expected(steps):
    """The Keras update with gnet's warm-up, in float64 numpy from the same batches."""
    torch.manual_seed(1)
    mean, var = np.zeros(3), np.ones(3)
    for step in range(steps):
        batch = (torch.randn(4, 3, 5, 5) * (step + 1) + step).double().numpy()
        kept = min(0.9, step / (step + 1))
        mean = kept * mean + (1 - kept) * batch.mean(axis=(0, 2, 3))
        var = kept * var + (1 - kept) * batch.var(axis=(0, 2, 3))
    return mean, var, batch

plain, stated = statistics_after(6, False), statistics_after(6, True)
mean, var, last = expected(6)
report['warmup'] = {
    'tracked': int(plain.num_batches_tracked),
    'againstFormula': max(float(np.abs(plain.running_mean.double().numpy() - mean).max() / np.abs(mean).max()),
                          float(np.abs(plain.running_var.double().numpy() - var).max() / np.abs(var).max())),
    'stateless=stated': float(max((plain.running_mean - stated.running_mean).abs().max(), (plain.running_var - stated.running_var).abs().max())),
    'notLastBatch': float(np.abs(plain.running_mean.double().numpy() - last.mean(axis=(0, 2, 3))).max()),
    'inState': 'num_batches_tracked' in plain.state_dict(),
}

# Dropout and fre without a state: torch's generator, a new draw every call, torch.manual_seed repeats them.
dropout = gt.Dropout(0.5, 'd')
dropout.train()
ones = torch.ones(2, 4, 6, 6)
torch.manual_seed(3)
d1, d2 = dropout(ones), dropout(ones)
torch.manual_seed(3)
d3 = dropout(ones)
fre = gt.FeatureRandomEnhance(2, 3.0, 'f')
fre.train()
picks = [tuple(int(c) for c in (fre(ones)[0, :, 0, 0] == 3.0).nonzero().flatten()) for _ in range(20)]
report['random'] = {'differ': bool((d1 != d2).any()), 'repeat': bool(torch.equal(d1, d3)), 'kept': float((d1 != 0).float().mean()),
                    'values': sorted(set(d1.flatten().tolist())), 'frePicks': len(set(picks)), 'freCount': sorted(set(len(p) for p in picks))}
dropout.eval()
fre.eval()
report['random']['eval'] = bool(torch.equal(dropout(ones), ones) and torch.equal(fre(ones), ones))

# Torch's tools recognise the native layers: conv + batch norm fuse, SyncBatchNorm converts.
model.eval()
fused = torch.nn.utils.fusion.fuse_conv_bn_eval(model.a_conv, model.a_batchnorm)
report['fused'] = float((fused(x) - model.a_batchnorm(model.a_conv(x))).abs().max())
report['sync'] = type(nn.SyncBatchNorm.convert_sync_batchnorm(Plain()).a_batchnorm).__name__

# A plain loop needs no constrain: sigma pushed below zero still gives finite outputs, and gradients reach it.
g = model.b_gauss
with torch.no_grad():
    g.sigma.fill_(-0.5)
model.train()
out = model(x)
out.sum().backward()
gt.constrain(model)
report['negativeSigma'] = [bool(torch.isfinite(out).all()), bool(torch.isfinite(g.sigma.grad).all()),
                          float(gt.weights.gnet_weights(model, META)['b.gauss/sigma'].min())]
print(json.dumps(report))
`;

type Report = Record<string, any>;
let report: Report = {};
test.before(() => {
  if (!runs) return;
  const dir = torchOutDir();
  const program = compileSource(PLAIN, 'plain.gnet');
  const plain = writeTorchModule(dir, analysed(program.graphs[0]!, program.sources));
  const twins = writeTorchModule(dir, networkNamed('Twins'));
  report = JSON.parse(runPython(dir, BEHAVIOUR, [plain, twins]));
});

maybe('Net(seed) holds initialised weights; a tensor in, a tensor out; a dict is still accepted; several outputs give a dict', () => {
  assert.equal(report.tensorOut, ['Tensor', [5, 3], true]);
  assert.ok(report.dictIn);
  assert.equal(report.seeded, [true, false], 'the default seed is 0, another seed draws other values');
  assert.equal(report.twins, { joined: [2, 4], same: [2, 4, 8, 8] });
});

maybe("torch's own classes and names: Conv2d pads itself when symmetric, BatchNorm2d with torch's momentum, Linear, Dropout", () => {
  assert.equal(report.native, [true, true, true, true]);
  assert.equal(report.conv, [[1, 1], [], [0, 0], [0, 1, 0, 1]], 'symmetric: the convolution\'s own padding; asymmetric: F.pad first');
  assert.ok(report.asymmetric < 1e-6, `asymmetric padding differs from F.pad + F.conv2d by ${report.asymmetric}`);
  assert.equal(report.bn, [0.1, 0.001, 0.9]);
  assert.equal(report.keywords, []);
  assert.equal(report.lambda, ['b_gauss.lambda_']);
  assert.ok(report.fused < 1e-5, `fuse_conv_bn_eval differs by ${report.fused}`);
  assert.is(report.sync, 'SyncBatchNorm');
});

maybe('every layer prints its settings', () => {
  const repr = report.repr as Record<string, string>;
  assert.is(repr.a_conv_1, 'Conv2d(4, 6, kernel_size=(3, 3), stride=(2, 2), tf_padding=(0, 1, 0, 1))');
  assert.is(repr.b_gauss, 'Gauss(6, 8, size=(3, 3), order=1, bases=2, mix=separated, lowering=combined, stride=(1, 1), padding=(1, 1), isotropic=False, bias=False)');
  assert.match(repr.a_batchnorm!, /^BatchNorm2d\(4, eps=0.001, momentum=0.1, .*keras_momentum=0.9, scale=True\)$/);
  assert.is(repr.a_fre, "FeatureRandomEnhance(count=2, factor=3.0, key='a.fre')");
  for (const [name, text] of Object.entries(repr)) assert.not.match(text, /\(\)$/, `${name} prints no settings`);
});

maybe("batch norm warms up by its own step counter without a state, as with gnet's state, by the Keras rule", () => {
  const warmup = report.warmup;
  assert.is(warmup.tracked, 6);
  assert.ok(warmup.againstFormula < 1e-5, `moving statistics differ from the float64 Keras rule by ${warmup.againstFormula}`);
  assert.ok(warmup['stateless=stated'] < 1e-5, `without a state they differ from gnet's by ${warmup['stateless=stated']}`);
  assert.ok(warmup.notLastBatch > 0.1, 'the moving mean is not the last batch\'s');
  assert.ok(warmup.inState, 'the counter is in the state_dict');
});

maybe("without a state, dropout and fre draw from torch's generator: new draws each call, repeated by torch.manual_seed", () => {
  const random = report.random;
  assert.ok(random.differ && random.repeat && random.eval, JSON.stringify(random));
  assert.ok(Math.abs(random.kept - 0.5) < 0.08, `kept ${random.kept}`);
  assert.equal(random.values, [0, 2]);
  assert.ok(random.frePicks > 1, 'fre picks other channels on other calls');
  assert.equal(random.freCount, [2]);
});

maybe('σ below zero (no constrain in a plain loop) still gives finite outputs and gradients; constrain clamps it for gnet', () => {
  assert.equal(report.negativeSigma, [true, true, Math.fround(0.2)]);
});

test.run();
