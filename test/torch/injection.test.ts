/**
 * The PyTorch emitter applies the TypeScript emitter's injection rules to Python: a graph made of
 * hostile names and texts gives a module with the same structure as a benign one (no text became
 * code), whose META reads back unchanged and whose outputs keep their names.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSource } from '../../compiler/program.js';
import { analysed, HOSTILE, hostileNetwork } from '../codegen/helpers.js';
import { runPython, torchOutDir, torchTestsRun, writeTorchModule } from './helpers.js';

const runs = torchTestsRun('test/torch/injection.test.ts');
const maybe = runs ? test : test.skip;

const benign = () => {
  const source = 'network N { input x: 6 x 6 x 2\n a = x -> conv(3) -> relu -> conv(3) -> batchnorm -> dropout(0.1) -> fre(1) -> relu\n output o = a }';
  const program = compileSource(source, 'benign.gnet');
  return analysed(program.graphs[0]!, program.sources);
};

/** Python: the module's shape as ast sees it (statement kinds, class members, forward's statements, every name). */
const STRUCTURE = String.raw`
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())
names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)})
cls = next(s for s in tree.body if isinstance(s, ast.ClassDef))
methods = {f.name: [type(s).__name__ for s in f.body] for f in cls.body if isinstance(f, ast.FunctionDef)}
calls = sorted({ast.unparse(c.func) for c in ast.walk(tree) if isinstance(c, ast.Call)})
print(json.dumps({'top': [type(s).__name__ for s in tree.body], 'class': [type(s).__name__ for s in cls.body], 'methods': methods,
                  'names': names, 'calls': calls}))
`;

const layerCalls = (calls: string[]) => calls.filter((c) => !c.startsWith('self.'));

maybe('hostile names and texts give the same module structure as benign ones, and no code', () => {
  const dir = torchOutDir();
  const hostile = JSON.parse(runPython(dir, STRUCTURE, [writeTorchModule(dir, hostileNetwork())]));
  const plain = JSON.parse(runPython(dir, STRUCTURE, [writeTorchModule(dir, benign())]));
  assert.equal(hostile.top, plain.top);
  assert.equal(hostile.class, plain.class);
  assert.equal(hostile.methods, plain.methods);
  assert.equal(layerCalls(hostile.calls), layerCalls(plain.calls), 'the same functions are called');
  for (const word of ['process', 'exit']) assert.not.ok(hostile.names.includes(word), `no text became code (${word})`);
});

/** Python: imports the module, runs it in training mode and prints what it holds. */
const RUN = String.raw`
import json, sys, torch
from gnet_torch import load_module, named_outputs
Net, META = load_module(sys.argv[1])
model = Net(1)
model.train()
name = META['inputs'][0]['name']
out = named_outputs(META, model({name: torch.ones(1, 2, 6, 6)}, {'seed': 1, 'epoch': 0, 'step': 0}))
print(json.dumps({'network': META['network'], 'class': META['class'], 'doc': META['doc'], 'source': META['source'], 'training': META['training'],
                  'doc_string': Net.__doc__, 'outputs': {k: list(v.shape) for k, v in out.items()},
                  'weights': [w['name'] for w in META['weights']], 'torch': [w['torch'] for w in META['weights']], 'nodes': [e['node'] for e in META['sourceMap']],
                  'state_dict': sorted(k for k in model.state_dict() if not k.endswith('.num_batches_tracked'))}))
`;

maybe('hostile texts read back unchanged from META, outputs keep their names, the module runs', () => {
  const dir = torchOutDir();
  const network = hostileNetwork();
  const got = JSON.parse(runPython(dir, RUN, [writeTorchModule(dir, network)]));
  assert.is(got.network, HOSTILE.network);
  assert.is(got.doc, HOSTILE.doc);
  assert.ok((got.doc_string as string).includes(HOSTILE.doc.split('\n')[0]!), 'the docstring holds the doc');
  assert.ok((got.source as string).endsWith(HOSTILE.file.slice(HOSTILE.file.lastIndexOf('/') + 1)), `source ${JSON.stringify(got.source)}`);
  assert.equal(got.training, JSON.parse(JSON.stringify(HOSTILE.training)));
  assert.ok(Object.hasOwn(got.training, '__proto__'), 'a __proto__ key stays a key');
  assert.equal(got.nodes, network.graph.nodes.map((n) => n.name));
  assert.ok((got.weights as string[]).every((w) => w.startsWith(HOSTILE.weightKey)));
  assert.equal(got.outputs, { [HOSTILE.output]: [1, 3, 6, 6] });
  assert.equal([...got.torch].sort(), got.state_dict, "META names every tensor of the state_dict but batch norm's step counters");
  assert.match(got.class, /^[A-Za-z_][A-Za-z0-9_]*$/);
});

test.run();
