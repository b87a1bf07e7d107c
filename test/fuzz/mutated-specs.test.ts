import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { diagnosticToJSON, renderDiagnostic } from '../../compiler/diagnostics/render.js';
import { compileSource } from '../../compiler/program.js';
import { mutate, mutation, SEEDS, TOKENS } from './mutate.js';

/** Any text at all gets diagnostics with valid spans and a normal return: never a throw or a hang. */
function survives(text: string): void {
  const program = compileSource(text, 'fuzz.gnet');
  for (const d of program.diagnostics) {
    assert.match(d.code, /^GN\d{4}$/);
    const span = d.primary.span;
    const len = program.sources.get(span.file)?.length ?? 0;
    assert.ok(span.start >= 0 && span.start <= span.end && span.end <= len, `span ${span.start}-${span.end} outside 0-${len} for ${d.code}`);
    renderDiagnostic(d, program.sources);
    diagnosticToJSON(d, program.sources);
  }
  if (program.diagnostics.some((d) => d.severity === 'error')) return;
  for (const g of program.graphs) analyzeGraph(g, { batch: 2 }, () => undefined);
}

test('the seeds themselves compile cleanly', () => {
  for (const seed of SEEDS) {
    const p = compileSource(seed, 'seed.gnet');
    assert.equal(p.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  }
});

test('mutated specs: diagnostics and a clean return, never an exception (3 000 cases)', () => {
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, ms) => survives(mutate(SEEDS[seed]!, ms))),
    { numRuns: 3000, seed: 20261122 },
  );
});

test('random bytes and random token soup (1 000 cases)', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => survives(s)), { numRuns: 500, seed: 7 });
  fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS, 'a', 'b', 'relu', '3'), { maxLength: 80 }), (ts) => survives(ts.join(' '))), { numRuns: 500, seed: 8 });
});

test('pathological inputs: deep nesting, long chains, huge numbers', () => {
  survives('network A { input x: 1 x 1 x 1 y = x' + ' -> relu'.repeat(20000) + ' output o = y }');
  survives('network A { input x: 1 x 1 x 1 y = x -> conv(' + '('.repeat(100000) + ') }');
  survives('network A { input x: 99999999999 x 1e308 x -5 output o = x -> conv(1e308) }');
  survives('block a(n) { b(n) } block b(n) { a(n) } network A { input x: 4 x 4 x 1 output o = x -> a(1) }');
});

test.run();
