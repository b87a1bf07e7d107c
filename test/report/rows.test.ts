import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reportRows, type ReportRow } from '../../compiler/report/rows.js';
import { analyze, unet } from './networks.js';

const sum = (rows: readonly ReportRow[], key: 'trainable' | 'nonTrainable' | 'macs' | 'activationBytes') => rows.reduce((s, r) => s + r[key], 0);

test('depth 1 folds every frame into one row per top-level frame', () => {
  const a = analyze(unet());
  const rows = reportRows(a, 1);
  assert.equal(rows.map((r) => [r.label, r.kind, r.depth]), [
    ['image', 'node', 0],
    ['e1', 'frame', 0],
    ['e2', 'frame', 0],
    ['d1', 'frame', 0],
    ['mask', 'node', 0],
  ]);
  for (const key of ['trainable', 'nonTrainable', 'macs', 'activationBytes'] as const) assert.is(sum(rows, key), a.totals[key], key);
  const e1 = rows[1]!;
  const e1Nodes = a.rows.filter((r) => r.node.path[0] === 'e1');
  assert.is(e1.trainable, e1Nodes.reduce((s, r) => s + r.trainable, 0));
  assert.equal(e1.shape, e1Nodes.at(-1)!.shape);
  assert.is(e1.op, '2 conv, 2 batchnorm, 2 relu');
  assert.is(e1.detail, '6 nodes');
});

test('depth 2 opens the top frames and folds the stages', () => {
  const rows = reportRows(analyze(unet()), 2);
  const e2 = rows.findIndex((r) => r.name === 'e2');
  assert.equal(rows.slice(e2, e2 + 3).map((r) => [r.name, r.kind, r.depth]), [
    ['e2', 'frame-open', 0],
    ['e2.maxpool', 'node', 1],
    ['e2.stage', 'frame', 1],
  ]);
});

test('without a depth every node appears once, under its frames', () => {
  const a = analyze(unet());
  const rows = reportRows(a);
  const nodes = rows.filter((r) => r.kind === 'node');
  assert.equal(nodes.map((r) => r.name), a.rows.map((r) => r.node.name));
  assert.ok(rows.every((r) => r.kind !== 'frame'));
  const conv = rows.find((r) => r.name === 'e1.stage.conv_0')!;
  assert.equal([conv.label, conv.depth], ['conv_0', 2]);
});

test('a frame repeated after other nodes gives two frames, in order', () => {
  const t = unet();
  const last = t.graph().nodes.length - 1;
  t.add('relu', last, {}, { path: ['e1', 'again'] });
  const rows = reportRows(analyze(t), 1);
  assert.equal(rows.map((r) => r.name), ['image', 'e1', 'e2', 'd1', 'mask', 'e1']);
});

test('a shared use says whose weights it uses', () => {
  const t = unet();
  const x = t.graph().nodes.length - 1;
  t.add('conv', t.add('conv', x, { filters: 2, size: 1 }, { path: ['m2'], weights: 'm' }), { filters: 2, size: 1 }, { path: ['m3'], weights: 'm' });
  const rows = reportRows(analyze(t));
  assert.is(rows.find((r) => r.name === 'm3')!.detail, 'shares weights with m2');
  assert.is(rows.find((r) => r.name === 'm3')!.trainable, 0);
});

test.run();
