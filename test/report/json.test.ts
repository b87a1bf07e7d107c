import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toJSON } from '../../compiler/report/json.js';
import { analyze, unet } from './networks.js';

test('the JSON report has exactly the contract keys', () => {
  const t = unet();
  t.budget('trainable', '<=', 10);
  const json = toJSON(analyze(t), new Map([[t.file, t.source()]]));
  assert.equal(Object.keys(json), ['network', 'inputs', 'outputs', 'totals', 'blocks', 'budgets']);
  assert.equal(Object.keys(json.totals), ['trainable', 'nonTrainable', 'macs', 'activationBytes']);
  for (const block of json.blocks) {
    assert.equal(Object.keys(block), ['name', 'path', 'op', 'outputShape', 'trainable', 'nonTrainable', 'macs', 'receptiveField', 'source']);
    assert.equal(Object.keys(block.source), ['file', 'line', 'column']);
  }
  assert.equal(JSON.parse(JSON.stringify(json)), json);
});

test('values come from the analysis; totals are the block sums', () => {
  const t = unet();
  const a = analyze(t);
  const json = toJSON(a);
  assert.is(json.network, 'UNet');
  assert.equal(json.inputs, [{ name: 'image', shape: [32, 32, 3] }]);
  assert.equal(json.outputs, [{ name: 'mask', shape: [32, 32, 2] }]);
  assert.is(json.blocks.length, t.graph().nodes.length);
  for (const key of ['trainable', 'nonTrainable', 'macs'] as const) {
    assert.is(json.totals[key], json.blocks.reduce((sum, b) => sum + b[key], 0), key);
  }
  const conv = json.blocks.find((b) => b.name === 'e1.stage.conv_0')!;
  assert.equal(conv, {
    name: 'e1.stage.conv_0',
    path: ['e1', 'stage', 'conv_0'],
    op: 'conv',
    outputShape: [32, 32, 4],
    trainable: 5 * 5 * 3 * 4 + 4,
    nonTrainable: 0,
    macs: 32 * 32 * 4 * 5 * 5 * 3,
    receptiveField: { input: 'image', size: [5, 5], jump: [1, 1], start: [0, 0] },
    source: { file: 'UNet.gnet', line: null, column: null },
  });
});

test('sources turn spans into 1-based line and column', () => {
  const t = unet();
  t.budget('params', '<=', 1_000_000);
  const json = toJSON(analyze(t), new Map([[t.file, t.source()]]));
  // The builder writes one line per node, in node order, then the output and budget lines.
  json.blocks.forEach((b, i) => assert.equal(b.source, { file: 'UNet.gnet', line: i + 1, column: 1 }));
  assert.equal(json.budgets, [
    { metric: 'params', op: '<=', limit: 1_000_000, batch: 1, value: json.totals.trainable + json.totals.nonTrainable, status: 'pass', source: { file: 'UNet.gnet', line: json.blocks.length + 2, column: 1 } },
  ]);
});

test.run();
