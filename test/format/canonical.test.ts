/**
 * One layout per syntax tree: every spec of specs/, its lines joined and split anywhere inside a
 * statement and its spacing changed (comments and the line breaks between statements kept), formats
 * to the same text as the spec itself, at the default width and at 60 columns, and formatting that
 * text again changes nothing. Then the rules one by one: shapes, wrapping by width alone, a comment
 * before `{`.
 */
import fc from 'fast-check';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatSource, type FormatOptions } from '../../compiler/format/index.js';
import { parseConcrete } from '../../compiler/syntax/parse.js';
import { specFiles } from '../specs/files.js';

const root = new URL('../../', import.meta.url).pathname;


function fmt(text: string, options: FormatOptions = {}): string {
  const r = formatSource(text, options);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.text;
}

const isToken = (e: CstElement): e is IToken => 'image' in e;

/** Offsets of the tokens that begin a statement, an entry or a declaration, or close a body. */
function statementStarts(cst: CstNode): Set<number> {
  const out = new Set<number>();
  const firstOffset = (n: CstNode): number => Math.min(...Object.values(n.children).flat().map((e) => (isToken(e!) ? e!.startOffset : firstOffset(e as CstNode))));
  const visit = (n: CstNode) => {
    for (const [name, list] of Object.entries(n.children)) {
      for (const e of list ?? []) {
        if (isToken(e)) {
          if (name === 'RCurly' && ['body', 'trainStmt', 'experimentDecl'].includes(n.name)) out.add(e.startOffset);
          continue;
        }
        if (['statement', 'trainEntry', 'importDecl', 'networkDecl', 'blockDecl', 'experimentDecl'].includes(e.name)) out.add(firstOffset(e));
        visit(e);
      }
    }
  };
  visit(cst);
  return out;
}

const INSIDE = [' ', '  ', '\t', '\n', '\n    ', '\n\n', ' \n\t ', '\r\n  '];

/**
 * The spec with the whitespace between its tokens re-chosen by `pick`: anything inside a statement
 * (none where there was none is allowed too); between statements, a line break where there was one
 * and a blank line where there was one; next to a comment, as it was.
 */
function reflow(text: string, pick: (gap: number, choices: number) => number): string {
  const parsed = parseConcrete(text, 'spec.gnet');
  const starts = statementStarts(parsed.cst!);
  const items = [...parsed.tokens.map((t) => ({ t, comment: false })), ...Object.values(parsed.groups).flat().map((t) => ({ t, comment: true }))].sort((a, b) => a.t.startOffset - b.t.startOffset);
  let out = text.slice(0, items[0]?.t.startOffset ?? text.length);
  items.forEach((item, i) => {
    out += item.t.image;
    const next = items[i + 1];
    const end = item.t.endOffset! + 1;
    const gap = text.slice(end, next ? next.t.startOffset : text.length);
    if (!next || item.comment || next.comment) return void (out += gap);
    const breaks = gap.match(/\r\n|\r|\n/g)?.length ?? 0;
    if (starts.has(next.t.startOffset)) {
      const choices = breaks >= 2 ? ['\n\n', '\n \n\n  ', '\r\n\r\n'] : breaks === 1 ? ['\n', '\n      ', ' \n', '\r\n\t'] : [' ', '   '];
      out += choices[pick(i, choices.length)]!;
    } else {
      const choices = gap === '' ? ['', ...INSIDE] : INSIDE;
      out += choices[pick(i, choices.length)]!;
    }
  });
  return out;
}

const specs = specFiles();

test('every layout of every spec formats to the spec\'s own canonical text, and that text is a fixed point', () => {
  assert.ok(specs.length >= 19, `found ${specs.length} specs`);
  let runs = 0;
  for (const spec of specs) {
    const text = readFileSync(join(root, spec), 'utf8');
    const canonical = { 100: fmt(text), 60: fmt(text, { width: 60 }) };
    assert.is(fmt(canonical[60], { width: 60 }), canonical[60], `${spec} at 60 columns is not a fixed point`);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), fc.constantFrom(100, 60), (choices, width) => {
        runs++;
        const flowed = reflow(text, (gap, n) => choices[gap % choices.length]! % n);
        const once = fmt(flowed, { width });
        assert.fixture(once, canonical[width], `${spec}: a re-flowed layout formats differently at width ${width}`);
      }),
      { numRuns: 12, seed: 2026 },
    );
  }
  assert.ok(runs >= 12 * specs.length);
});

test('re-flowing really moves things: lines joined and split', () => {
  const text = readFileSync(join(root, 'specs/resnet50.gnet'), 'utf8');
  const joined = reflow(text, () => 0);
  const split = reflow(text, (_, n) => n - 1);
  assert.ok(joined.split('\n').length < text.split('\n').length, 'joining removes lines');
  assert.ok(split.split('\n').length > text.split('\n').length, 'splitting adds lines');
  assert.is(fmt(joined), text);
  assert.is(fmt(split), text);
});

test('shapes: `28x28x1`, `28×28×1` and `28 x 28 x 1` over lines are all `28 x 28 x 1`', () => {
  for (const shape of ['28x28x1', '28×28×1', '28 x\n 28 x 1', '28  x 28x1'.replace('28x1', '28 x 1')]) {
    assert.is(fmt(`network N { input i: ${shape}\n output o = i -> relu }`), 'network N {\n  input i: 28 x 28 x 1\n  output o = i -> relu\n}\n', shape);
  }
  // `28x28x1` then a statement starting `x(…)`: once spelt out, the shape needs its `;`.
  assert.is(fmt('block x(c) { relu }\nnetwork N { input i: 8x8x1\n x(3) -> relu }'), 'block x(c) {\n  relu\n}\n\nnetwork N {\n  input i: 8 x 8 x 1;\n  x(3) -> relu\n}\n');
});

test('argument lists wrap by width, under the first argument, or one level in when that is too far right', () => {
  const args = Array.from({ length: 14 }, (_, i) => `option_${i} = ${i}`).join(', ');
  const out = fmt(`block b { gauss(8, 7, ${args}) -> relu }`);
  const lines = out.split('\n');
  assert.ok(lines.every((l) => l.length <= 100), out);
  assert.match(lines[1]!, /^ {2}gauss\(8, 7, option_0 = 0, /);
  assert.ok(lines[2]!.startsWith(' '.repeat(8) + 'option_'), 'continued under the first argument');
  assert.is(fmt(`block b { gauss(8, 7,\n${args.replace(/, /g, ',\n')}) -> relu }`), out, 'the writer\'s breaks do not matter');
  const far = fmt(`network N { input i: 4 x 4 x 1\n output a_rather_long_output_name = i -> a_block_with_a_long_name(first = 1, second = 2) }`, { width: 60 });
  assert.is(far, 'network N {\n  input i: 4 x 4 x 1\n  output a_rather_long_output_name = i\n    -> a_block_with_a_long_name(first = 1, second = 2)\n}\n');
});

test('pipelines wrap by width alone: filled, under the first `->`, or one level in', () => {
  const long = 'network N { input x: 4 x 4 x 1\n y = x -> conv(16, 3) -> relu -> conv(16, 3) -> relu -> conv(16, 3) -> relu }';
  assert.is(fmt(long, { width: 50 }), 'network N {\n  input x: 4 x 4 x 1\n  y = x -> conv(16, 3) -> relu -> conv(16, 3)\n        -> relu -> conv(16, 3) -> relu\n}\n');
  assert.is(fmt(long.replace(/ -> /g, '\n -> '), { width: 50 }), fmt(long, { width: 50 }));
  assert.is(fmt('block b { relu\n -> relu ->\n relu }'), 'block b {\n  relu -> relu -> relu\n}\n');
  assert.is(fmt('block b { conv(16, 3, stride = 1, padding = same, bias = false) -> relu -> batchnorm }', { width: 60 }), 'block b {\n  conv(16, 3, stride = 1, padding = same, bias = false)\n    -> relu -> batchnorm\n}\n');
});

test('lists, parameters and imports wrap the same way', () => {
  const names = Array.from({ length: 12 }, (_, i) => `block_number_${i}`);
  const imports = fmt(`import { ${names.join(', ')} } from "./blocks.gnet"`);
  assert.ok(imports.split('\n').every((l) => l.length <= 100), imports);
  assert.match(imports, /^import \{ block_number_0, [^\n]*,\n {9}block_number_/);
  const params = fmt(`block b(${names.map((n) => `${n} = 1`).join(', ')}) { relu }`);
  assert.match(params, /^block b\(block_number_0 = 1, [^\n]*,\n {8}block_number_/);
  const list = fmt(`network N { input i: 4 x 4 x 1\n output o = i -> relu\n train { metrics = [${names.join(', ')}] } }`);
  assert.match(list, /metrics = \[block_number_0, [^\n]*,\n {15}block_number_/);
});

test('a comment before `{` goes after it (on the header\'s line), whatever the writer did', () => {
  const expected = 'network N(a = 1) {  // why\n  input x: 4 x 4 x 1\n  output o = x -> relu\n}\n';
  assert.is(fmt('network N(a = 1) // why\n{\n  input x: 4 x 4 x 1\n  output o = x -> relu\n}\n'), expected);
  assert.is(fmt('network N(a = 1)\n// why\n{\n  input x: 4 x 4 x 1\n  output o = x -> relu\n}\n'), expected);
  assert.is(fmt('network N(a = 1) { // why\n  input x: 4 x 4 x 1\n  output o = x -> relu\n}\n'), expected);
  assert.is(fmt('block b(c) // one\n// two\n{ relu }'), 'block b(c) {  // one\n  // two\n  relu\n}\n');
  assert.is(fmt('block b /* inline */ { relu }'), 'block b /* inline */ {\n  relu\n}\n');
});

test.run();
