/** The TextMate grammar of editors/vscode: valid JSON, and it tokenizes a real spec the way a reader would colour it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as Oniguruma from 'vscode-oniguruma';
import type * as TextMate from 'vscode-textmate';
import { BLOCKS, formatSource } from '../../compiler/index.js';

const require = createRequire(import.meta.url);
// Both are CommonJS packages; require gives their exports whatever the loader.
const oniguruma = require('vscode-oniguruma') as typeof Oniguruma;
const textmate = require('vscode-textmate') as typeof TextMate;
const grammarPath = new URL('../../editors/vscode/syntaxes/gnet.tmLanguage.json', import.meta.url);
const grammarText = readFileSync(grammarPath, 'utf8');

async function loadGrammar(): Promise<TextMate.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.gnet' ? textmate.parseRawGrammar(grammarText, grammarPath.pathname) : null),
  });
  return (await registry.loadGrammar('source.gnet'))!;
}

/** Each line's tokens as `text → innermost scope`. */
function tokenize(grammar: TextMate.IGrammar, source: string): Map<string, string>[] {
  let state = textmate.INITIAL;
  return source.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return new Map(r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex).trim(), t.scopes[t.scopes.length - 1]!] as const).filter(([text]) => text !== ''));
  });
}

test('the grammar and the language configuration are valid JSON', () => {
  const grammar = JSON.parse(grammarText);
  assert.is(grammar.scopeName, 'source.gnet');
  const config = JSON.parse(readFileSync(new URL('../../editors/vscode/language-configuration.json', import.meta.url), 'utf8'));
  assert.equal(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  const pkg = JSON.parse(readFileSync(new URL('../../editors/vscode/package.json', import.meta.url), 'utf8'));
  assert.is(pkg.contributes.grammars[0].scopeName, 'source.gnet');
});

test('every built-in block is highlighted as one', () => {
  const listed = /\\\\b\((conv\|[^)]*)\)/.exec(grammarText)![1]!.split('|').sort();
  assert.equal(listed, Object.keys(BLOCKS).sort());
});

test('tokenizes a spec sensibly', async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, `/// Doc of a unit.
block unit(maps) {
  gauss(maps, 5, order = 2) -> batchnorm -> relu // trailing
}
import { stage } from "./blocks.gnet"
network Net(base = 8) {
  input image: 28x28x1
  e1 = image -> unit(base * 2) -> stage(16)
  budget params <= 30k
  /* a
     block comment */
  output y = e1 -> dense(10)
}`);
  assert.is(lines[0]!.get('/// Doc of a unit.'), 'comment.line.documentation.gnet');
  assert.is(lines[1]!.get('block'), 'storage.type.gnet');
  assert.is(lines[1]!.get('unit'), 'entity.name.function.gnet');
  assert.is(lines[2]!.get('gauss'), 'support.function.builtin.gnet');
  assert.is(lines[2]!.get('->'), 'keyword.operator.arrow.gnet');
  assert.is(lines[2]!.get('5'), 'constant.numeric.gnet');
  assert.is(lines[2]!.get('order'), 'variable.other.gnet');
  assert.is(lines[2]!.get('// trailing'), 'comment.line.double-slash.gnet');
  assert.is(lines[4]!.get('import'), 'keyword.control.import.gnet');
  assert.is(lines[4]!.get('"./blocks.gnet"'), 'string.quoted.double.gnet');
  assert.is(lines[6]!.get('input'), 'keyword.other.gnet');
  assert.is(lines[6]!.get('28x28x1'), 'constant.numeric.dims.gnet');
  assert.is(lines[7]!.get('stage'), 'entity.name.function.call.gnet');
  assert.is(lines[8]!.get('30k'), 'constant.numeric.gnet');
  assert.is(lines[8]!.get('params'), 'support.constant.metric.gnet');
  assert.ok([...lines[9]!.values()].every((scope) => scope === 'comment.block.gnet'), JSON.stringify([...lines[9]!]));
  assert.ok([...lines[10]!.values()].every((scope) => scope === 'comment.block.gnet'), JSON.stringify([...lines[10]!]));
  assert.ok(lines[10]!.size > 0);
  assert.is(lines[11]!.get('y'), 'variable.other.definition.gnet');
});

test('an experiment section: the keyword, its name, its keys', async () => {
  const grammar = await loadGrammar();
  const lines = tokenize(grammar, 'experiment Table1 {\n  seeds = 3\n}\nexperiment {\n}');
  assert.is(lines[0]!.get('experiment'), 'storage.type.gnet');
  assert.is(lines[0]!.get('Table1'), 'entity.name.function.gnet');
  assert.is(lines[1]!.get('seeds'), 'variable.other.gnet');
  assert.is(lines[3]!.get('experiment'), 'keyword.control.gnet');
});

test('`let` is a keyword and names what it binds', async () => {
  const [line] = tokenize(await loadGrammar(), '  let w = planes * 2');
  assert.is(line!.get('let'), 'keyword.other.gnet');
  assert.is(line!.get('w'), 'variable.other.definition.gnet');
  assert.is(line!.get('*'), 'keyword.operator.gnet');
});

test('an import wrapped over lines (as gnet fmt writes a long one) is highlighted on every line', async () => {
  const names = Array.from({ length: 10 }, (_, i) => `block_number_${i}`);
  const formatted = formatSource(`import { ${names.join(', ')} } from "./blocks.gnet"\nnetwork N { input x: 4 x 4 x 1\n output y = x -> relu }`);
  assert.ok(formatted.ok);
  const text = formatted.ok ? formatted.text : '';
  assert.ok(text.split('\n')[1]!.startsWith('         block_number_'), text);
  const lines = tokenize(await loadGrammar(), text);
  for (const name of names) {
    const line = lines.find((l) => l.has(name) || l.has(`${name},`))!;
    assert.is(line.get(name), 'entity.name.function.gnet', name);
  }
  const last = lines.find((l) => l.has('"./blocks.gnet"'))!;
  assert.is(last.get('from'), 'keyword.control.import.gnet');
  assert.is(last.get('"./blocks.gnet"'), 'string.quoted.double.gnet');
  const after = lines.find((l) => l.has('network'))!;
  assert.is(after.get('network'), 'storage.type.gnet', 'the import ends at its path');
});

test('the `x` of a shape is an operator; a value named x is a name', async () => {
  const [shape, value, dims] = tokenize(await loadGrammar(), '  input image: 32 x 32 x 3\n  x = image -> relu\n  input s: 8×8×1  // one');
  assert.is(shape!.get('x'), 'keyword.operator.dimension.gnet');
  assert.is(shape!.get('32'), 'constant.numeric.gnet');
  assert.is(shape!.get('image'), 'variable.other.definition.gnet');
  assert.is(value!.get('x'), 'variable.other.gnet');
  assert.is(value!.get('->'), 'keyword.operator.arrow.gnet');
  assert.is(dims!.get('8×8×1'), 'constant.numeric.dims.gnet');
  assert.is(dims!.get('// one'), 'comment.line.double-slash.gnet');
});

test.run();
