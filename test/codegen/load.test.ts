/** The in-memory path: generate → transpile → importGenerated → forward, without writing a file. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RUNTIME_MODULE, transpileModule } from '../../compiler/codegen/index.js';
import { GnetError } from '../../runtime/errors.js';
import * as runtime from '../../runtime/index.js';
import { DEFAULT_RUNTIME_SPECIFIER, importGenerated, rewriteImports, runtimeEntryUrl } from '../../runtime/load-generated.js';
import { generate, networkNamed } from './helpers.js';

await tf.setBackend('cpu');

const twins = () => networkNamed('Twins');

test('compiler and runtime agree on the default runtime specifier', () => {
  assert.is(DEFAULT_RUNTIME_SPECIFIER, DEFAULT_RUNTIME_MODULE);
});

test('a module made in memory runs on the same tfjs engine and runtime as its caller', async () => {
  const module = await importGenerated(transpileModule(generate(twins())));
  const weights = module.createWeights(4);
  assert.ok(Object.values(weights).every((w) => w instanceof tf.Variable), 'variables of this tfjs-core');
  assert.equal(Object.keys(weights), module.meta.weights.map((w) => w.name));
  const inputs = { left: tf.ones([2, 8, 8, 2]), right: tf.zeros([2, 8, 8, 2]), extra: tf.ones([2, 5]) };
  const outputs = module.forward(weights, inputs, { training: false });
  assert.ok(outputs.joined instanceof tf.Tensor);
  assert.equal([outputs.joined!.shape, outputs.same!.shape], [[2, 4], [2, 8, 8, 4]]);
  tf.dispose([outputs, inputs, weights]);
});

test('errors inside forward name the module, not its data: URL', async () => {
  const module = await importGenerated(transpileModule(generate(twins())), { name: 'Twins' });
  const weights = module.createWeights();
  try {
    module.forward(weights, { right: tf.zeros([1, 8, 8, 2]), extra: tf.zeros([1, 5]) }, { training: false });
    assert.unreachable('a missing input fails');
  } catch (e) {
    assert.match(String((e as Error).stack), 'gnet-generated:///Twins.js');
    assert.not.match(String((e as Error).stack), 'data:');
  }
  tf.dispose(weights);
});

test('the same seed gives the same weights; constrain clamps σ to its minimum', async () => {
  const segmenter = networkNamed('Segmenter');
  const module = await importGenerated(transpileModule(generate(segmenter)));
  const [a, b] = [module.createWeights(9), module.createWeights(9)];
  for (const name of Object.keys(a)) assert.equal([...a[name]!.dataSync()], [...b[name]!.dataSync()], name);
  const sigma = a['e1.gauss/sigma']!;
  sigma.assign(tf.fill(sigma.shape, -1));
  module.constrain(a);
  assert.ok(sigma.dataSync().every((v) => Math.abs(v - 0.2) < 1e-7));
  tf.dispose([a, b]);
});

test('the runtime entry resolves to the runtime this process runs', async () => {
  const entry = (await import(runtimeEntryUrl())) as typeof runtime;
  assert.is(entry.gaussConv2d, runtime.gaussConv2d);
});

test('only the leading imports are rewritten; a `$` in a path stays literal', () => {
  const js = '/** doc */\nimport * as tf from "@tensorflow/tfjs-core";\n// c\nimport * as rt from \'gnet/runtime\';\nexport const s = "import * as rt from \\"gnet/runtime\\"";\n';
  const urls = new Map([
    ['@tensorflow/tfjs-core', 'file:///a/$&tf.js'],
    ['gnet/runtime', 'file:///b/rt.js'],
  ]);
  assert.is(
    rewriteImports(js, urls),
    '/** doc */\nimport * as tf from "file:///a/$&tf.js";\n// c\nimport * as rt from "file:///b/rt.js";\nexport const s = "import * as rt from \\"gnet/runtime\\"";\n',
  );
});

test('other imports and incomplete modules are refused with runtime codes', async () => {
  const code = async (js: string) => {
    try {
      await importGenerated(js);
      return 'loaded';
    } catch (e) {
      return e instanceof GnetError ? e.code : String(e);
    }
  };
  assert.is(await code('import * as fs from "node:fs";\nexport const meta = {};'), 'GN9031');
  assert.is(await code('import * as tf from "@tensorflow/tfjs-core";\nexport const meta = { n: tf.version_core };'), 'GN9030');
});

test.run();
