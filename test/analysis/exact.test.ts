/** Numbers past 2^53: budget limits are refused like block arguments; totals past it warn (GN0503). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileSource } from '../../compiler/program.js';

const NET = (input: string, extra = '') => `network N {\n  input x: ${input}\n  output o = x -> conv(1024, 7) -> relu\n${extra}\n}\n`;

function all(src: string): Diagnostic[] {
  const p = compileSource(src, 'main.gnet');
  const ds = [...p.diagnostics];
  if (!ds.some((d) => d.severity === 'error')) for (const g of p.graphs) analyzeGraph(g, {}, (d) => ds.push(d));
  return ds;
}

test('a budget limit of 1e400 (Infinity) or above 2^53 is GN0109, as for block arguments', () => {
  for (const limit of ['1e400', '1e17', '9007199254740993']) {
    const ds = all(NET('8 x 8 x 1', `  budget params <= ${limit}`));
    assert.equal(ds.map((d) => `${d.code} ${d.severity}`), ['GN0109 error'], limit);
  }
  assert.match(all(NET('8 x 8 x 1', '  budget params <= 1e400'))[0]!.message, 'finite');
  assert.equal(all(NET('8 x 8 x 1', '  budget memory <= 2GiB at batch 16')), []);
});

test('totals above 2^53 warn, naming each inexact total; smaller networks do not', () => {
  const ds = all(NET('1048576 x 1048576 x 3'));
  assert.equal(ds.map((d) => `${d.code} ${d.severity}`), ['GN0503 warning']);
  assert.match(ds[0]!.message, 'multiply-adds');
  assert.match(ds[0]!.message, 'activation bytes');
  assert.not.match(ds[0]!.message, 'trainable');
  assert.equal(all(NET('1024 x 1024 x 3')), []);
});

test.run();
