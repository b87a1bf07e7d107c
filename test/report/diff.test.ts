import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diff, renderDiff } from '../../compiler/report/diff.js';
import { analyze, unet } from './networks.js';

test('identical networks differ nowhere', () => {
  const d = diff(analyze(unet()), analyze(unet()));
  assert.equal(d.changes, []);
  assert.is(d.unchanged, analyze(unet()).rows.length);
});

test('wider stages change shapes and params; a removed and an added block show where they were', () => {
  const before = unet();
  const after = unet({ base: 8 });
  const extra = after.graph().nodes.length - 1;
  after.add('softmax', extra, {}, { path: ['probabilities'] });
  const d = diff(analyze(before), analyze(after));
  const changed = d.changes.filter((c) => c.kind === 'changed');
  const conv = changed.find((c) => c.after.name === 'e1.stage.conv_0')!;
  assert.equal(conv.kind === 'changed' && conv.fields, ['shape', 'params', 'macs']);
  assert.equal(conv.kind === 'changed' && [conv.before.trainable, conv.after.trainable], [5 * 5 * 3 * 4 + 4, 5 * 5 * 3 * 8 + 8]);
  // relu holds no weights and costs no multiply-adds: only its shape changes.
  const relu = changed.find((c) => c.after.name === 'e1.stage.relu_0')!;
  assert.equal(relu.kind === 'changed' && relu.fields, ['shape']);
  assert.equal(d.changes.at(-1), { kind: 'added', after: { name: 'probabilities', path: ['probabilities'], op: 'softmax', shape: [32, 32, 2], trainable: 0, nonTrainable: 0, macs: 0 } });
  assert.ok(d.unchanged >= 1);
});

test('a block replaced by another kind shows as removed, then added', () => {
  const d = diff(analyze(unet()), analyze(unet({ gauss: true })));
  const kinds = d.changes.slice(0, 2).map((c) => [c.kind, c.kind === 'added' ? c.after.name : c.kind === 'removed' ? c.before.name : '']);
  assert.equal(kinds, [['removed', 'e1.stage.conv_0'], ['added', 'e1.stage.gauss_0']]);
  const text = renderDiff(d).split('\n');
  assert.is(text[2], `- e1.stage.conv_0  conv  32×32×4  304 params`);
  assert.ok(text[3]!.startsWith('+ e1.stage.gauss_0  gauss  32×32×4  '));
  assert.ok(text.at(-1)!.startsWith('params '));
});

test('renderDiff lists changed fields with before → after', () => {
  const d = diff(analyze(unet()), analyze(unet({ base: 8 })));
  const line = renderDiff(d).split('\n').find((l) => l.startsWith('~ e1.stage.conv_0'))!;
  assert.is(line, '~ e1.stage.conv_0: shape 32×32×4 → 32×32×8; params 304 → 608; macs 307 k → 614 k');
});

test.run();
