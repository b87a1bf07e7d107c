/**
 * Name resolution (compiler/elaborate/resolve.ts) by the elaborator's rules: what each use means,
 * which sites make one symbol, and, on every spec, the doc pages and mutated specs, agreement with
 * what the elaborator itself bound each name to while elaborating.
 */
import fc from 'fast-check';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defAt, refAt, scopeAt, type NameTable } from '../../compiler/elaborate/names.js';
import { resolveNames } from '../../compiler/elaborate/resolve.js';
import { parseSource } from '../../compiler/syntax/parse.js';
import { pageFiles, readPage } from '../docs/pages.js';
import { mutate, mutation, SEEDS } from '../fuzz/mutate.js';
import { diskHost, resolvedProgram } from './names.js';
import { REPO_ROOT, specFiles } from '../specs/files.js';

function table(text: string, blocks: Record<string, string[]> = {}): NameTable {
  const file = resolve('main.gnet');
  return resolveNames(parseSource(text, file).ast, text.length, (p) => (blocks[p] ? new Set(blocks[p]) : undefined));
}

/** The symbol a use at the `nth` occurrence of `needle` resolves to, as `kind name@line` of its first site. */
function meaningAt(t: NameTable, text: string, needle: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const ref = refAt(t, at);
  if (!ref) return 'no use';
  const target = ref.target;
  if (target.kind !== 'def') return target.kind;
  const line = text.slice(0, target.def.span.start).split('\n').length;
  return `${target.def.implicit ? 'implicit ' : ''}${target.def.kind} ${target.def.name}@${line}`;
}

test('every spec: each name the elaborator looked up resolves to the site it was bound to', () => {
  let uses = 0;
  for (const spec of specFiles()) {
    const { program, disagreements } = resolvedProgram(join(REPO_ROOT, spec), diskHost());
    assert.equal(disagreements, [], spec);
    for (const path of program.syntax.keys()) uses += program.uses!.usesIn(path).size;
  }
  assert.ok(uses > 500, `only ${uses} uses recorded`);
});

test('the doc pages\' examples and mutated specs agree too (broken ones included)', () => {
  for (const name of pageFiles()) {
    const page = readPage(name);
    for (const example of [page.failing, page.fixed]) {
      const files = new Map(Object.entries({ ...example.files, 'main.gnet': example.main }).map(([k, v]) => [resolve(k), v]));
      assert.equal(resolvedProgram(resolve('main.gnet'), diskHost(files)).disagreements, [], name);
    }
  }
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, ms) => {
      const files = new Map([[resolve('fuzz.gnet'), mutate(SEEDS[seed]!, ms)]]);
      assert.equal(resolvedProgram(resolve('fuzz.gnet'), diskHost(files)).disagreements, []);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('`in` is each block\'s own implicit symbol, with no site; the block name is another symbol', () => {
  const text = 'block b(c) {\n  x = in -> conv(c)\n  add(x, in)\n}\nblock d { in -> b(2) }\n';
  const t = table(text);
  assert.is(meaningAt(t, text, 'in ->'), 'implicit param in@1');
  assert.is(meaningAt(t, text, 'in)'), 'implicit param in@1');
  assert.is(meaningAt(t, text, 'in -> b'), 'implicit param in@5');
  const b = t.root.defs.get('b')!;
  assert.equal(b.sites.length, 1);
  assert.ok(!t.defs.some((d) => d.implicit), 'implicit `in`s are no symbols of the file');
  assert.is(defAt(t, text.indexOf('b(c)'))?.name, 'b');
});

test('both branches of an `if`, and a loop rebinding an outer name, are sites of one symbol', () => {
  const text = [
    'block r(p) {',
    '  if p { s = in -> relu } else { s = in }',
    '  s -> relu',
    '}',
    'network N {',
    '  input i: 8 x 8 x 1',
    '  y = i -> relu',
    '  for k in 0..2 { y = y -> relu; let w = k * 2 }',
    '  output o = y -> relu',
    '}',
  ].join('\n');
  const t = table(text);
  const s = t.root.defs.get('r')!.body!.defs.get('s')!;
  assert.is(s.sites.length, 2);
  assert.is(meaningAt(t, text, 's -> relu'), 'value s@2');
  const y = t.root.defs.get('N')!.body!.defs.get('y')!;
  assert.is(y.sites.length, 2, 'the loop\'s `y =` rebinds the network\'s y');
  assert.is(meaningAt(t, text, 'y -> relu', 1), 'value y@7');
  assert.is(meaningAt(t, text, 'k * 2'), 'loop k@8');
  const loop = scopeAt(t, text.indexOf('let w'));
  assert.ok(loop.defs.has('w') && loop.defs.has('k'), 'a new name in a loop body is the loop\'s');
});

test('a parameter default sees the parameters before it, not the body; networks are no names in bodies', () => {
  const text = 'block b(c, k = c * 2, m = z) {\n  z = in -> conv(k)\n  z -> N\n}\nnetwork N { input i: 4 x 4 x 1\n output o = i -> b(4) }\n';
  const t = table(text);
  assert.is(meaningAt(t, text, 'c * 2'), 'param c@1');
  assert.is(meaningAt(t, text, 'z)'), 'unknown');
  assert.is(meaningAt(t, text, 'N\n'), 'unknown');
  assert.is(meaningAt(t, text, 'conv'), 'builtin');
});

test('named arguments name the callee\'s parameters; expression calls are no scope names', () => {
  const text = 'block unit(maps, size = 3) { conv(maps, size = size) }\nnetwork N(min = 2) { input i: 4 x 4 x 1\n output o = i -> unit(max(min, 3), size = 5) }\n';
  const t = table(text);
  const arg = t.refs.find((r) => r.role === 'arg' && r.name === 'size' && r.callee?.kind === 'def')!;
  assert.ok(arg.target.kind === 'param' && arg.target.block.name === 'unit');
  assert.is(t.refs.find((r) => r.role === 'arg' && r.callee?.kind === 'builtin')!.target.kind, 'unknown');
  assert.is(meaningAt(t, text, 'max('), 'function');
  assert.is(meaningAt(t, text, 'min,'), 'param min@2');
});

test('imports: named ones are symbols of the file, whole-file ones bring block names, the later import winning; local blocks win over both', () => {
  const a = resolve('a.gnet');
  const b = resolve('b.gnet');
  const text = 'import "./a.gnet"\nimport "./b.gnet"\nimport { named } from "./a.gnet"\nblock mine { relu }\nnetwork N { input i: 4 x 4 x 1\n output o = i -> both -> only_a -> named -> mine }\n';
  const t = table(text, { [a]: ['both', 'only_a', 'mine'], [b]: ['both'] });
  const at = (name: string) => refAt(t, text.indexOf(`${name} ->`) >= 0 ? text.indexOf(`${name} ->`) : text.lastIndexOf(name))!.target;
  assert.equal(at('both'), { kind: 'imported', file: b, name: 'both' });
  assert.equal(at('only_a'), { kind: 'imported', file: a, name: 'only_a' });
  assert.is((at('named') as { def: { kind: string } }).def.kind, 'import');
  assert.is((at('mine') as { def: { kind: string } }).def.kind, 'block');
});

test('lookups by offset: a use, a site, the innermost scope', () => {
  const text = 'network N {\n  input i: 4 x 4 x 1\n  for k in 0..2 { i = i -> relu }\n  output o = i -> relu\n}\n';
  const t = table(text);
  assert.is(refAt(t, text.indexOf('i -> relu') + 1)?.name, 'i', 'a cursor right after a name is on it');
  assert.is(refAt(t, text.indexOf('0..2')), undefined);
  assert.is(defAt(t, text.indexOf('i = i'))?.kind, 'input');
  assert.ok(scopeAt(t, text.indexOf('i = i')).defs.has('k'));
  assert.is(scopeAt(t, text.indexOf('output')).owner?.name, 'N');
});

test.run();
