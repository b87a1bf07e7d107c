/** GN0304 suggests input sizes that make the whole network pass (the `gnet sizes` solver), not just the failing layer. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph, validInputSizes } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileSource } from '../../compiler/program.js';

function shapeErrors(src: string): Diagnostic[] {
  const p = compileSource(src, 'main.gnet');
  assert.equal(p.diagnostics, []);
  const out: Diagnostic[] = [];
  analyzeGraph(p.graphs[0]!, {}, (d) => out.push(d));
  return out;
}

test('7×7 then three 2×2 pools: only 8×8 is suggested (6×6 fails at the second pool)', () => {
  const ds = shapeErrors('network N {\n  input x: 7 x 7 x 1\n  output o = x -> maxpool(2) -> maxpool(2) -> maxpool(2)\n}');
  assert.equal(ds.map((d) => d.code), ['GN0304']);
  assert.match(ds[0]!.message, 'input `x` 8×8 would work');
  assert.not.match(ds[0]!.message, '6');
});

test('every size GN0304 suggests passes the network', () => {
  const src = (h: number, w: number) => `network N {\n  input image: ${h} x ${w} x 3\n  output o = image -> conv(4, 3, padding = valid) -> maxpool(2) -> conv(4, 3, padding = valid) -> maxpool(3)\n}`;
  for (const [h, w] of [[29, 29], [17, 40], [64, 64]]) {
    const ds = shapeErrors(src(h!, w!));
    assert.is(ds.length, 1, `${h}×${w}`);
    const sizes = [...ds[0]!.message.matchAll(/(\d+)×(\d+)(?= would| or)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(sizes.length > 0, ds[0]!.message);
    for (const [sh, sw] of sizes) assert.equal(shapeErrors(src(sh!, sw!)), [], `${sh}×${sw} was suggested for ${h}×${w}`);
    const g = compileSource(src(h!, w!), 'main.gnet').graphs[0]!;
    const solved = validInputSizes(g, h === w ? h! : [h!, w!])!;
    assert.equal(sizes, [solved.below, solved.above].filter(Boolean).map((s) => [...s!]));
  }
});

test.run();
