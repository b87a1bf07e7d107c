import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSource } from '../../compiler/syntax/parse.js';
import type { NetworkDecl, Stmt } from '../../compiler/syntax/ast.js';

const net = (src: string): NetworkDecl => {
  const { ast, diagnostics } = parseSource(src, 'a.gnet');
  assert.equal(diagnostics, [], JSON.stringify(diagnostics));
  return ast.decls.find((d) => d.kind === 'network') as NetworkDecl;
};
const stmt = (body: string, i = 0): Stmt => net(`network N { ${body} }`).body[i]!;

test('input shapes: spaced, compact and × separators', () => {
  for (const src of ['input x: 28 x 28 x 1', 'input x: 28x28x1', 'input x: 28 × 28 × 1']) {
    const s = stmt(src);
    assert.is(s.kind, 'input');
    assert.equal((s as unknown as { dims: { value: number }[] }).dims.map((d) => d.value), [28, 28, 1]);
  }
});

test('a name `x` still works as a value next to shapes', () => {
  const n = net('network N { input img: 8 x 8 x 1  x = img -> relu  output y = x -> relu }');
  assert.equal(n.body.map((s) => s.kind), ['input', 'assign', 'output']);
});

test('pipelines with calls, keyword arguments and repetition', () => {
  const s = stmt('y = x -> conv(16, size = 3, padding = valid) * 2 -> relu') as Stmt & { kind: 'assign' };
  assert.is(s.pipeline.stages.length, 3);
  const conv = s.pipeline.stages[1]!;
  assert.is(conv.name, 'conv');
  assert.equal(conv.args!.map((a) => a.name), [undefined, 'size', 'padding']);
  assert.is(conv.repeat!.kind, 'number');
  assert.is(s.pipeline.stages[2]!.args, null);
});

test('number suffixes and budgets', () => {
  const s = stmt('budget memory <= 2GiB at batch 16') as Stmt & { kind: 'budget' };
  assert.is(s.metric, 'memory');
  assert.is((s.limit as { value: number }).value, 2 * 1024 ** 3);
  assert.is((s.batch as { value: number }).value, 16);
  const k = stmt('budget params < 30k') as Stmt & { kind: 'budget' };
  assert.is((k.limit as { value: number }).value, 30000);
});

test('operator precedence: 1 + 2 * 3 ^ 2 groups as 1 + (2 * (3 ^ 2))', () => {
  const s = stmt('y = x -> conv(1 + 2 * 3 ^ 2)') as Stmt & { kind: 'assign' };
  const e = s.pipeline.stages[1]!.args![0]!.value;
  assert.is(e.kind, 'binary');
  assert.is((e as { op: string }).op, '+');
  const right = (e as { right: { op: string; right: { op: string } } }).right;
  assert.is(right.op, '*');
  assert.is(right.right.op, '^');
});

test('doc comments attach to the declaration right below them only', () => {
  const { ast } = parseSource('/// first\n/// second\nnetwork A { }\n/// orphan\n\nx\nblock b { relu }', 'a.gnet');
  const a = ast.decls.find((d) => d.kind === 'network') as NetworkDecl;
  assert.is(a.doc, 'first\nsecond');
});

test('for, if/else, shared, train, nested block', () => {
  const n = net(`network N(d = 2) {
    input x: 8 x 8 x 4
    block s(c) { conv(c) -> relu }
    shared enc = conv(4)
    for i in 0..d { x = x -> s(4) }
    if d > 1 { y = x -> enc } else { y = x }
    output o = y
    train { epochs = 2; optimizer = adam(lr = 0.01); metrics = [accuracy, miou] }
  }`);
  assert.equal(n.body.map((s) => s.kind), ['input', 'block', 'shared', 'for', 'if', 'output', 'train']);
});

test('imports: named and whole-file', () => {
  const { ast, diagnostics } = parseSource('import { a, b } from "./x.gnet"\nimport "../y.gnet"', 'a.gnet');
  assert.equal(diagnostics, []);
  assert.equal(ast.decls.map((d) => (d.kind === 'import' ? [d.path, d.names?.map((n) => n.name)] : null)), [['./x.gnet', ['a', 'b']], ['../y.gnet', undefined]]);
});

test('syntax errors are collected, with codes and positions, and parsing recovers', () => {
  const { diagnostics } = parseSource('network A {\n  input x: 3 x 3 x 1\n  y = x -> conv(3\n  output z = y -> relu\n}\nnetwork B { input q: 2 x 2 x 1 output r = q -> ) }', 'a.gnet');
  assert.ok(diagnostics.length >= 2);
  assert.ok(diagnostics.every((d) => d.code === 'GN0003'));
  assert.match(diagnostics[0]!.message, /expected '\)'/);
});

test('unexpected characters: one diagnostic per run (and per line), never a throw', () => {
  const { diagnostics } = parseSource('network A { \u0000\u0001\u0002 input x: 1 x 1 x 1\n# output y = x }', 'a.gnet');
  const lex = diagnostics.filter((d) => d.code === 'GN0001');
  assert.is(lex.length, 2);
  assert.match(lex[0]!.message, /U\+0000/);
});

test('unterminated string and comment', () => {
  assert.is(parseSource('import "abc\nnetwork A {}', 'a.gnet').diagnostics[0]!.code, 'GN0002');
  assert.ok(parseSource('network A { } /* never closed', 'a.gnet').diagnostics.some((d) => d.code === 'GN0002'));
});

test('deep nesting is refused before the recursive parser sees it', () => {
  const deep = 'network A { input x: 1 x 1 x 1 y = x -> conv(' + '('.repeat(5000) + '1' + ')'.repeat(5000) + ') }';
  const { diagnostics } = parseSource(deep, 'a.gnet');
  assert.is(diagnostics[0]!.code, 'GN0004');
});

test.run();
