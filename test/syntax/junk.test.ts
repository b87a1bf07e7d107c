/**
 * Text that is no declaration, between declarations or filling a whole file (a log or a binary
 * opened as a spec): one syntax error per run of it, the declarations around still read, and no
 * amount of it exhausts the parser (the language server gets such files too).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSource } from '../../compiler/syntax/parse.js';

const EXPECTED = 'expected a declaration (`network`, `block`, `import` or `experiment`)';

test('a run of tokens outside every declaration is one error; the declarations around it are read', () => {
  const text = 'w = p / 2\nfoo bar\nnetwork N { input x: 4 x 4 x 1\n  output o = x -> relu }\n} ; 12\nimport "./a.gnet";\nblock b { relu }\n';
  const { ast, diagnostics } = parseSource(text, 'junk.gnet');
  assert.equal(diagnostics.map((d) => `${d.code} ${d.primary.span.start} ${d.message}`), [
    `GN0003 0 ${EXPECTED}, found 'w'`,
    `GN0003 ${text.indexOf('} ;')} ${EXPECTED}, found '}'`,
  ]);
  assert.equal(ast.decls.map((d) => `${d.kind} ${'name' in d ? d.name : d.path}`), ['network N', 'import ./a.gnet', 'block b']);
  assert.is(ast.decls[0]!.kind === 'network' && ast.decls[0]!.broken, undefined, 'the network is whole');
});

test('a declaration with a broken header keeps its body to the `}` that closes it', () => {
  const { ast, diagnostics } = parseSource('block unit(maps size = 3) {\n  conv(maps, 3) -> relu\n}\nnetwork N { input x: 4 x 4 x 1\n output o = x -> unit(4) }', 'h.gnet');
  assert.equal(diagnostics.map((d) => d.code), ['GN0003']);
  const unit = ast.decls[0]!;
  assert.ok(unit.kind === 'block' && unit.broken === 'header' && unit.body.length === 1);
  assert.is(ast.decls[1]!.kind, 'network');
});

test('files full of junk parse without exhausting the stack: between declarations, in one body', () => {
  const lines = 6000;
  const top = parseSource(Array.from({ length: lines }, (_, i) => `network N${i} {} w = p / 2`).join('\n'), 'top.gnet');
  assert.is(top.diagnostics.length, lines, 'one error per run of junk');
  assert.ok(top.diagnostics.every((d) => d.message === `${EXPECTED}, found 'w'`));
  assert.is(top.ast.decls.length, lines);
  const body = parseSource('network N {\n' + '  relu ]\n'.repeat(20_000) + '}\n', 'body.gnet');
  assert.ok(body.diagnostics.length >= 1 && body.diagnostics.every((d) => d.code === 'GN0003'), JSON.stringify(body.diagnostics.slice(0, 3)));
});

test.run();
