import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countParams } from '../../compiler/analysis/params.js';
import { inferShapes } from '../../compiler/analysis/shapes.js';
import { verifyIR } from '../../compiler/analysis/verify.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { TestGraph } from './graph-builder.js';

function count(t: TestGraph) {
  const graph = t.graph();
  assert.equal(verifyIR(graph), []);
  const diagnostics: Diagnostic[] = [];
  const params = countParams(graph, inferShapes(graph, (d) => diagnostics.push(d)), (d) => diagnostics.push(d));
  const total = (pick: 'trainable' | 'nonTrainable') => params.reduce((sum, p) => sum + p[pick], 0);
  return { graph, params, diagnostics, trainable: total('trainable'), nonTrainable: total('nonTrainable') };
}

test('LeNet-5 (6 and 16 maps, 120-84-10 dense) holds the classic 61 706 parameters', () => {
  const t = new TestGraph();
  t.chain(t.input('x', [32, 32, 1]), [
    ['conv', { filters: 6, size: 5, padding: 'valid' }],
    ['tanh'],
    ['avgpool', { size: 2 }],
    ['conv', { filters: 16, size: 5, padding: 'valid' }],
    ['tanh'],
    ['avgpool', { size: 2 }],
    ['flatten'],
    ['dense', { units: 120 }],
    ['tanh'],
    ['dense', { units: 84 }],
    ['tanh'],
    ['dense', { units: 10 }],
    ['softmax'],
  ]);
  const { trainable, nonTrainable, diagnostics } = count(t);
  assert.equal(diagnostics, []);
  assert.is(trainable, 61_706);
  assert.is(nonTrainable, 0);
});

test('VGG16 holds torchvision’s 138 357 544 parameters', () => {
  const t = new TestGraph();
  let x = t.input('image', [224, 224, 3]);
  for (const [convs, filters] of [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]] as const) {
    for (let i = 0; i < convs; i++) x = t.chain(x, [['conv', { filters }], ['relu']]);
    x = t.add('maxpool', x, { size: 2 });
  }
  t.chain(x, [['flatten'], ['dense', { units: 4096 }], ['relu'], ['dense', { units: 4096 }], ['relu'], ['dense', { units: 1000 }]]);
  assert.is(count(t).trainable, 138_357_544);
});

test('batchnorm: γ and β trainable, moving mean and variance not', () => {
  const t = new TestGraph();
  const bn = t.add('batchnorm', t.add('conv', t.input('x', [8, 8, 3]), { filters: 16 }));
  const { params } = count(t);
  assert.equal([params[bn]!.trainable, params[bn]!.nonTrainable], [32, 32]);
});

test('gauss layers of the reference example: 400 (separated) and 5 520 (full) trainable', () => {
  const t = new TestGraph();
  const first = t.add('gauss', t.input('x', [28, 28, 1]), { filters: 16, size: 7, bases: 4, order: 3, mix: 'separated' });
  const second = t.add('gauss', first, { filters: 32, size: 7, bases: 8, order: 3 });
  const { params } = count(t);
  assert.equal([params[first]!.trainable, params[second]!.trainable], [400, 5520]);
});

test('nodes sharing a weights key count once; later uses name the owner', () => {
  const t = new TestGraph();
  const a = t.input('a', [8, 8, 3]);
  const b = t.input('b', [4, 4, 3]);
  const first = t.add('conv', a, { filters: 4 }, { path: ['enc'], weights: 'enc' });
  const second = t.add('conv', b, { filters: 4 }, { path: ['enc_1'], weights: 'enc' });
  const { params, trainable, diagnostics } = count(t);
  assert.equal(diagnostics, []);
  const convParams = 3 * 3 * 3 * 4 + 4;
  assert.equal(params[first], { weights: params[first]!.weights, trainable: convParams, nonTrainable: 0 });
  assert.equal([params[second]!.trainable, params[second]!.sharedWith], [0, 'enc']);
  assert.is(trainable, convParams);
});

test('a shared instance used with other channels is GN0401 at the later use', () => {
  const t = new TestGraph();
  const first = t.add('conv', t.input('a', [8, 8, 3]), { filters: 4 }, { path: ['enc'], weights: 'enc' });
  const second = t.add('conv', t.input('b', [8, 8, 5]), { filters: 4 }, { path: ['enc_1'], weights: 'enc' });
  const { graph, diagnostics } = count(t);
  assert.equal(diagnostics.map((d) => d.code), ['GN0401']);
  assert.equal(diagnostics[0]!.primary.span, graph.nodes[second]!.span);
  assert.equal(diagnostics[0]!.secondary!.map((l) => l.span), [graph.nodes[first]!.span]);
  assert.match(diagnostics[0]!.primary.label!, 'kernel [3, 3, 5, 4]');
});

test.run();
