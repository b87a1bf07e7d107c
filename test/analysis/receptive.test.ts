import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { inferShapes } from '../../compiler/analysis/shapes.js';
import { primaryField, receptiveFields, type AxisField } from '../../compiler/analysis/receptive.js';
import { verifyIR } from '../../compiler/analysis/verify.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { AttrValue } from '../../compiler/ir/ir.js';
import { TestGraph } from './graph-builder.js';

/** Fields of every node, after checking the graph is valid and shape inference raised nothing. */
function fieldsOf(t: TestGraph) {
  const graph = t.graph();
  assert.equal(verifyIR(graph), []);
  const diagnostics: Diagnostic[] = [];
  const shapes = inferShapes(graph, (d) => diagnostics.push(d));
  assert.equal(diagnostics, []);
  return receptiveFields(graph, shapes);
}

/** The height axis of node `id`'s field in the first input. */
function heightField(t: TestGraph, id: number): AxisField {
  return primaryField(fieldsOf(t)[id]!)!.axes[0];
}

test('two 3×3 convolutions see 5×5 pixels', () => {
  const t = new TestGraph();
  const out = t.chain(t.input('x', [16, 16, 1]), [['conv', { filters: 4 }], ['conv', { filters: 4 }]]);
  const field = primaryField(fieldsOf(t)[out]!)!;
  assert.equal(field.axes, [{ size: 5, jump: 1, start: 0 }, { size: 5, jump: 1, start: 0 }]);
});

/** VGG16's feature extractor; returns the ids of conv5_3 and pool5. */
function vgg16(t: TestGraph): { conv5_3: number; pool5: number } {
  let x = t.input('image', [224, 224, 3]);
  let conv5_3 = -1;
  for (const [convs, filters] of [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]] as const) {
    for (let i = 0; i < convs; i++) x = t.add('conv', x, { filters });
    conv5_3 = x;
    x = t.add('maxpool', x, { size: 2 });
  }
  return { conv5_3, pool5: x };
}

test('VGG16: conv5_3 sees 196 px with jump 16, pool5 212 px with jump 32', () => {
  const t = new TestGraph();
  const { conv5_3, pool5 } = vgg16(t);
  // Araujo et al. (Distill 2019); the start is the centre of the first 16×16 (32×32) block.
  assert.equal(heightField(t, conv5_3), { size: 196, jump: 16, start: 7.5 });
  assert.equal(heightField(t, pool5), { size: 212, jump: 32, start: 15.5 });
});

test('ResNet stem and a strided block: 7×7/2 → 11 after the 3×3/2 pool → 19', () => {
  const t = new TestGraph();
  const x = t.input('image', [224, 224, 3]);
  const stem = t.add('conv', x, { filters: 64, size: 7, stride: 2, padding: 3, round: 'floor' });
  const pool = t.add('maxpool', stem, { size: 3, stride: 2, padding: 1, round: 'floor' });
  const down = t.add('conv', pool, { filters: 128, size: 3, stride: 2, padding: 1, round: 'floor' });
  assert.equal(heightField(t, stem), { size: 7, jump: 2, start: 0 });
  assert.equal(heightField(t, pool), { size: 11, jump: 4, start: 0 });
  assert.equal(heightField(t, down), { size: 19, jump: 8, start: 0 });
});

test('dilation widens a 3×3 kernel to 5 pixels', () => {
  const t = new TestGraph();
  const out = t.chain(t.input('x', [32, 32, 1]), [['conv', { filters: 2, dilation: 2 }], ['conv', { filters: 2, dilation: 2 }]]);
  assert.equal(heightField(t, out), { size: 9, jump: 1, start: 0 });
});

test('an asymmetric kernel gives per-axis fields', () => {
  const t = new TestGraph();
  const out = t.add('conv', t.input('x', [8, 8, 1]), { filters: 2, size: [5, 1] });
  assert.equal(primaryField(fieldsOf(t)[out]!)!.axes.map((a) => a.size), [5, 1]);
});

/** Input positions that output `o` of a chain of 1-D windows depends on (no borders), by brute force. */
function dependencies(layers: readonly Layer[], o: number): number[] {
  let positions = new Set([o]);
  for (const layer of [...layers].reverse()) {
    const previous = new Set<number>();
    for (const q of positions) for (let t = 0; t < layer.k; t++) previous.add(q * layer.s - layer.p + t * layer.d);
    positions = previous;
  }
  return [...positions].sort((a, b) => a - b);
}

interface Layer {
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly p: number;
}

const layerArb = fc
  .record({ k: fc.integer({ min: 1, max: 5 }), s: fc.integer({ min: 1, max: 2 }), d: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }) })
  .map((l) => (l.s > 1 ? { ...l, d: 1 } : l));

test('window chains agree with brute-force dependency sets (explicit padding)', () => {
  fc.assert(
    fc.property(fc.array(layerArb, { minLength: 1, maxLength: 4 }), (layers) => {
      const t = new TestGraph();
      let x = t.input('x', [96, 96, 1]);
      for (const l of layers) {
        const args: Record<string, AttrValue> = { filters: 1, size: l.k, stride: l.s, dilation: l.d, padding: l.p, round: 'floor' };
        x = t.add('conv', x, args);
      }
      const field = heightField(t, x);
      for (const o of [0, 1, 2]) {
        const deps = dependencies(layers, o);
        assert.is(deps.at(-1)! - deps[0]! + 1, field.size);
        assert.is((deps[0]! + deps.at(-1)!) / 2, field.start + o * field.jump);
      }
    }),
    { numRuns: 60 },
  );
});

test('transposed convolution: the largest field over positions, jump divided by the stride', () => {
  const t = new TestGraph();
  const x = t.input('x', [16, 16, 1]);
  const pooled = t.add('maxpool', x, { size: 2 });
  const up = t.add('conv_transpose', pooled, { filters: 1, size: 2, stride: 2 });
  const upValid = t.add('conv_transpose', x, { filters: 1, size: 3, stride: 2, padding: 'valid' });
  // Unpooling a 2×2 pool: output pixel 0 again sits on input pixel 0 and sees the pool window.
  assert.equal(heightField(t, up), { size: 2, jump: 1, start: 0 });
  // Outputs o = 2i + t (t < 3): even outputs sum two inputs, so the field is 2 px; output 1 sits on pixel 0.
  const brute = Math.max(...[0, 1, 2, 3].map((o) => [0, 1, 2].filter((tap) => (o - tap) % 2 === 0 && o - tap >= 0).length));
  assert.equal(heightField(t, upValid), { size: brute, jump: 0.5, start: -0.5 });
});

test('nearest upsampling keeps the size, divides the jump and re-centres the start', () => {
  const t = new TestGraph();
  const out = t.chain(t.input('x', [16, 16, 1]), [['maxpool', { size: 2 }], ['upsample', { factor: 2 }]]);
  assert.equal(heightField(t, out), { size: 2, jump: 1, start: 0 });
});

test('crop shifts the start by its offset', () => {
  const t = new TestGraph();
  const conv = t.add('conv', t.input('x', [10, 10, 1]), { filters: 1, padding: 'valid' });
  const cropped = t.add('crop', conv, { size: 6 });
  assert.equal(heightField(t, conv), { size: 3, jump: 1, start: 1 });
  assert.equal(heightField(t, cropped), { size: 3, jump: 1, start: 2 });
});

test('merges cover every input field: a skip add keeps the wider path, concat of [5,1] and [1,5] gives 5×5', () => {
  const t = new TestGraph();
  const x = t.input('x', [8, 8, 2]);
  const body = t.chain(x, [['conv', { filters: 2 }], ['conv', { filters: 2 }]]);
  const skip = t.add('add', [body, x]);
  const tall = t.add('conv', x, { filters: 1, size: [5, 1] });
  const wide = t.add('conv', x, { filters: 1, size: [1, 5] });
  const joined = t.add('concat', [tall, wide]);
  const fields = fieldsOf(t);
  assert.equal(primaryField(fields[skip]!)!.axes[0], { size: 5, jump: 1, start: 0 });
  assert.equal(primaryField(fields[joined]!)!.axes.map((a) => a.size), [5, 5]);
});

test('global pooling and dense on a flattened map see the whole input', () => {
  const t = new TestGraph();
  const x = t.input('x', [8, 8, 1]);
  const pooled = t.add('global_avgpool', t.add('conv', x, { filters: 2 }));
  const dense = t.add('dense', t.add('flatten', x), { units: 3 });
  // A 3×3 field at jump 1 over 8 positions: 3 + 7 = 10 px centred on pixel 3.5.
  assert.equal(heightField(t, pooled), { size: 10, jump: 8, start: 3.5 });
  assert.equal(heightField(t, dense), { size: 8, jump: 8, start: 3.5 });
});

test('a node fed by two inputs keeps one field per input, the first input first', () => {
  const t = new TestGraph();
  const fine = t.input('fine', [16, 16, 1]);
  const coarse = t.input('coarse', [8, 8, 1]);
  const a = t.add('conv', fine, { filters: 2, size: 5 });
  const b = t.add('upsample', t.add('conv', coarse, { filters: 2 }), { factor: 2 });
  const joined = t.add('concat', [a, b]);
  const field = fieldsOf(t)[joined]!;
  assert.equal(field.map((f) => f.input), [fine, coarse]);
  assert.equal(field.map((f) => f.axes[0].size), [5, 3]);
});

test.run();
