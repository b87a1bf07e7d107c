/**
 * Diagnostics that survive a user's typos (found by trying gnet as a new user): one typo gives one
 * error that says what to write, in the right place, whatever the file's encoding conventions.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnostic } from '../../compiler/diagnostics/render.js';
import { compileSource } from '../../compiler/program.js';

const compile = (src: string) => compileSource(src, 'main.gnet');
const messages = (src: string) => compile(src).diagnostics.map((d) => `${d.code} ${d.message}`);
const NET = (body: string) => `network N(base = 4) {\n  input x: 16 x 16 x 3\n${body}\n}\n`;

test('one typo in a block header is one error, not a cascade through every call (was 42)', () => {
  const spec = readFileSync(new URL('../../specs/gauss-unet.gnet', import.meta.url), 'utf8');
  const typo = spec.replace('block unit(maps, layer = "gauss")', 'block unit(maps, = = "gauss")');
  assert.is.not(typo, spec);
  assert.equal(messages(typo), ["GN0003 expected a name, found '='"]);
});

test('a forgotten `->` says so, and the rest is checked as if it were there', () => {
  assert.equal(messages(NET('  output o = x -> conv(16, 3) relu')), ['GN0003 expected `->` before `relu`']);
  const p = compile(NET('  y = x -> conv(16, 3) relu -> conv(4, 3)\n  output o = y -> relu'));
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0003']);
  assert.match(p.diagnostics[0]!.help!, 'conv(16, 3) -> relu');
  assert.equal(p.graphs[0]!.nodes.map((n) => n.op), ['input', 'conv', 'relu', 'conv', 'relu']);
});

test('`let` binds a number inside a block (and a network, and a loop)', () => {
  const p = compile(`block b(planes) {\n  let w = planes * 2\n  conv(w, 3) -> relu\n}\n${NET('  let c = base + 1\n  for i in 0..2 {\n    let m = c * 2 ^ i\n    x = x -> conv(m, 3, padding = same)\n  }\n  output o = x -> b(c)')}`);
  assert.equal(p.diagnostics, []);
  assert.equal(p.graphs[0]!.nodes.filter((n) => n.op === 'conv').map((n) => n.attrs.filters), [5, 10, 10]);
});

test('a number bound without `let` is one error that says to write `let`', () => {
  const block = (line: string) => `block b(planes) {\n  ${line}\n  conv(w, 3)\n}\n${NET('  output o = x -> b(4)')}`;
  const product = compile(block('w = planes * 2')).diagnostics;
  assert.equal(product.map((d) => d.code), ['GN0104']);
  assert.match(product[0]!.help!, 'let w = planes * 2');
  // Every other operator stops the parser: the same help, with the statement to write (GN0015).
  for (const [line, value] of [['w = 2 * planes', '2 * planes'], ['w = planes / 2', 'planes / 2'], ['w = planes + 1', 'planes + 1'], ['w = planes - 1', 'planes - 1'],
    ['w = planes % 3', 'planes % 3'], ['w = planes ^ 2', 'planes ^ 2'], ['w = (planes + 1) / 2', '(planes + 1) / 2'], ['w = -planes', '-planes'],
    ['w = planes * 2 + 1  // why', 'planes * 2 + 1'], ['w = planes > 2 && planes < 9', 'planes > 2 && planes < 9']]) {
    const ds = compile(block(line!)).diagnostics;
    assert.equal(ds.map((d) => d.code), ['GN0015'], line);
    assert.is(ds[0]!.message, `\`w\` is bound with \`=\`, which takes a pipeline, and \`${value}\` is arithmetic`);
    assert.is(ds[0]!.help, `to name a number, write \`let w = ${value}\``);
  }
  // A pipeline followed by an operator is no arithmetic to name: the plain syntax error.
  assert.equal(compile(block('w = in -> conv(3) / 2')).diagnostics.map((d) => d.code), ['GN0003']);
  assert.equal(messages(NET('  let y = x\n  output o = x -> relu')), ['GN0104 `let` names a number, a word or a list; `y` would be a tensor']);
});

test('a UTF-8 byte-order mark is accepted', () => {
  assert.equal(messages('\uFEFF' + NET('  output o = x -> relu')), []);
});

test('CRLF files: excerpts without a stray character at the end of the line', () => {
  const p = compile(NET('  output o = x -> rel').replace(/\n/g, '\r\n'));
  const text = renderDiagnostic(p.diagnostics[0]!, p.sources);
  assert.match(text, '3 |   output o = x -> rel\n');
  assert.not.match(text, /rel\?/);
  assert.not.match(text, '\r');
});

test('CR-only line ends: the right line and column', () => {
  const p = compile(NET('  output o = x -> rel').replace(/\n/g, '\r'));
  const text = renderDiagnostic(p.diagnostics[0]!, p.sources);
  assert.match(text, 'main.gnet:3:19');
  assert.match(text, '3 |   output o = x -> rel\n');
});

test('a non-ASCII name is one clear error, with an ASCII suggestion', () => {
  const p = compile('network Réseau {\n  input x: 8 x 8 x 1\n  output o = x -> relu\n}\n');
  assert.equal(p.diagnostics.map((d) => `${d.code} ${d.message}`), ['GN0001 `Réseau` is not a valid name: names use ASCII letters, digits and `_`']);
  assert.is(p.diagnostics[0]!.help, 'did you mean `Reseau`?');
  assert.equal([p.diagnostics[0]!.primary.span.start, p.diagnostics[0]!.primary.span.end], [8, 14]);
  assert.equal(messages(NET('  größe = x -> relu\n  output o = größe -> relu')).length, 2); // each use is named, nothing else
});

test('an emoji is named by its code point, not half a surrogate pair', () => {
  const ds = compile(NET('  output o = x -> relu 😀')).diagnostics;
  assert.equal(ds.map((d) => d.code), ['GN0001']);
  assert.match(ds[0]!.message, 'U+1F600');
  assert.not.match(ds[0]!.message, 'D83D');
  assert.is(ds[0]!.primary.span.end - ds[0]!.primary.span.start, 2);
});

test.run();
