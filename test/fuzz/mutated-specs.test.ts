import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { diagnosticToJSON, renderDiagnostic } from '../../compiler/diagnostics/render.js';
import { compileSource } from '../../compiler/program.js';

/** Valid specs covering most of the grammar; the fuzzer mutates them. */
const SEEDS = [
  `/// doc
network U(base = 4, classes = 2) {
  input image: 32 x 32 x 3
  block stage(c, k = 3) { conv(c, size = k) -> batchnorm -> relu }
  block up(skip, c) { upsample(2) -> concat(skip) -> stage(c) }
  e1 = image -> stage(base)
  e2 = e1 -> maxpool(2) -> stage(base * 2)
  d1 = e2 -> up(e1, base)
  shared head = conv(classes, size = 1)
  output mask = d1 -> head -> softmax
  budget params <= 30k
  budget memory <= 2GiB at batch 16
  train { epochs = 2; optimizer = adam(lr = 0.01); metrics = [accuracy] }
}`,
  `block res(c, stride = 1, project = false) {
  main = in -> conv(c, size = 3, stride = stride, bias = false) -> batchnorm -> relu -> conv(c, bias = false) -> batchnorm
  if project { short = in -> conv(c, size = 1, stride = stride) } else { short = in }
  add(main, short) -> relu
}
network R { input x: 64x64x3
  y = x -> conv(16, size = 7, stride = 2) -> maxpool(3, stride = 2, padding = same)
  for i in 0..3 { y = y -> res(16 * 2 ^ i, stride = 2, project = true) -> res(16 * 2 ^ i) * 2 }
  output logits = y -> global_avgpool -> dropout(0.5) -> dense(10)
}`,
  `network G { input x: 28 x 28 x 1
  a = x -> gauss(16, size = 7, order = 3, bases = 4, mix = separated) -> batchnorm -> relu -> se(4) -> fre(2)
  b = a -> gauss(32, size = [7, 5], order = 2, bases = 8, train_sigma = false, isotropic = true) -> crop(size = [20, 20])
  output y = b -> flatten -> dense(10) -> softmax
}`,
];

const TOKENS = ['->', '(', ')', '{', '}', '[', ']', ',', '=', '*', '/', '..', 'x', ' in ', ' for ', ' block ', ' network ', 'input', 'output', '0', '-1', '99999999999999', '1e308', '"', '/*', '///', '\n', 'conv', 'gauss', 'add(', 'concat(', 'shared ', 'if ', 'else', 'budget ', 'in', '\u0000', '\uffff', '😀'];

type Mutation = { kind: 'delete' | 'insert' | 'replace' | 'duplicate' | 'truncate'; at: number; length: number; token: number };

function mutate(text: string, mutations: readonly Mutation[]): string {
  let s = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * s.length);
    const end = Math.min(s.length, at + m.length);
    const token = TOKENS[m.token % TOKENS.length]!;
    if (m.kind === 'delete') s = s.slice(0, at) + s.slice(end);
    else if (m.kind === 'insert') s = s.slice(0, at) + token + s.slice(at);
    else if (m.kind === 'replace') s = s.slice(0, at) + token + s.slice(end);
    else if (m.kind === 'duplicate') s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
    else s = s.slice(0, at);
  }
  return s;
}

const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate') as fc.Arbitrary<Mutation['kind']>,
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 40 }),
  token: fc.nat(),
});

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
