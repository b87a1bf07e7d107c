/** The canonical layout, rule by rule: what `formatSource` makes of small inputs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatSource, type FormatOptions } from '../../compiler/format/index.js';

function fmt(text: string, options: FormatOptions = {}): string {
  const r = formatSource(text, options);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const again = formatSource(r.text, options);
  assert.ok(again.ok && again.text === r.text, `not idempotent:\n${r.text}`);
  return r.text;
}

test('one statement per line, two-space indentation, single spaces around -> and =', () => {
  assert.fixture(
    fmt('network N{input x:28x28x1;y=x->conv(16,3)->relu   output o=y->dense( 10 )}'),
    'network N {\n  input x: 28 x 28 x 1\n  y = x -> conv(16, 3) -> relu\n  output o = y -> dense(10)\n}\n',
  );
});

test('operators, unary minus, ranges, lists, keyword arguments, nested bodies', () => {
  const src = 'block b(c,k=3){ if c>1&&!false{ conv(c*2^-1+k , size=k) }else{ relu } }\n'
    + 'network N(base=8){ input i : 8 x 8 x 1\n for j in 0..2 { i = i -> b(base) }\n train { metrics=[accuracy,miou] ; lr = 1e-3 } }';
  assert.fixture(
    fmt(src),
    'block b(c, k = 3) {\n  if c > 1 && !false {\n    conv(c * 2 ^ -1 + k, size = k)\n  } else {\n    relu\n  }\n}\n\n'
      + 'network N(base = 8) {\n  input i: 8 x 8 x 1\n  for j in 0..2 {\n    i = i -> b(base)\n  }\n  train {\n    metrics = [accuracy, miou]\n    lr = 1e-3\n  }\n}\n',
  );
});

test('imports stay together; declarations are separated by one blank line; empty bodies close on their line', () => {
  assert.fixture(
    fmt('import { a , b } from "x.gnet"\nimport "y.gnet";\nblock a { relu } block b {}\n\n\n\nnetwork N { }'),
    'import { a, b } from "x.gnet"\nimport "y.gnet"\n\nblock a {\n  relu\n}\n\nblock b {}\n\nnetwork N {}\n',
  );
});

test('blank lines: at most one kept between statements, none after `{` or before `}`', () => {
  assert.fixture(
    fmt('network N {\n\n\n  input x: 4 x 4 x 1\n\n\n\n  y = x -> relu\n  z = y -> relu\n\n}\n\n\n'),
    'network N {\n  input x: 4 x 4 x 1\n\n  y = x -> relu\n  z = y -> relu\n}\n',
  );
});

test('comments stay where they are: own line, trailing (aligned), inside a pipeline, at the end', () => {
  const src = [
    '// header',
    '',
    '/// The doc comment',
    'network N {   // why',
    '    input x: 4 x 4 x 1',
    '  // about y',
    '  y = x -> relu // one',
    '      -> relu /* two */ -> relu',
    '  zz = y -> relu    // three',
    '}',
    '// the end',
  ].join('\n');
  assert.fixture(fmt(src), [
    '// header',
    '',
    '/// The doc comment',
    'network N {  // why',
    '  input x: 4 x 4 x 1',
    '  // about y',
    '  y = x -> relu  // one',
    '        -> relu /* two */ -> relu',
    '  zz = y -> relu  // three',
    '}',
    '// the end',
    '',
  ].join('\n'));
});

test('long pipelines wrap before a `->`, aligned under the first one; the writer\'s breaks do not count', () => {
  const long = 'network N { input x: 4 x 4 x 1\n y = x -> conv(16, 3) -> relu -> conv(16, 3) -> relu -> conv(16, 3) -> relu }';
  assert.fixture(fmt(long, { width: 50 }), 'network N {\n  input x: 4 x 4 x 1\n  y = x -> conv(16, 3) -> relu -> conv(16, 3)\n        -> relu -> conv(16, 3) -> relu\n}\n');
  assert.fixture(fmt(long), 'network N {\n  input x: 4 x 4 x 1\n  y = x -> conv(16, 3) -> relu -> conv(16, 3) -> relu -> conv(16, 3) -> relu\n}\n');
  assert.fixture(
    fmt('block b { conv(16, 3, stride = 1, padding = same, bias = false) -> relu -> batchnorm }', { width: 60 }),
    'block b {\n  conv(16, 3, stride = 1, padding = same, bias = false)\n    -> relu -> batchnorm\n}\n',
  );
  assert.fixture(fmt('block b { relu\n -> relu ->\n relu }'), 'block b {\n  relu -> relu -> relu\n}\n');
});

test('argument lists are joined while they fit, and wrap aligned after the `(` when they do not', () => {
  assert.fixture(fmt('block b { gauss(8, 7,\n order = 2,\n      bases = 2) -> relu }'), 'block b {\n  gauss(8, 7, order = 2, bases = 2) -> relu\n}\n');
  assert.fixture(fmt('block b { gauss(8, 7, order = 2, bases = 2) -> relu }', { width: 30 }), 'block b {\n  gauss(8, 7, order = 2,\n        bases = 2)\n    -> relu\n}\n');
});

test('`;` goes, except where the next statement would be read as part of this one', () => {
  assert.fixture(fmt('network N { input x: 4 x 4 x 1; y = x -> relu; }'), 'network N {\n  input x: 4 x 4 x 1\n  y = x -> relu\n}\n');
  assert.fixture(
    fmt('network N { input i: 4 x 4 x 1 budget params <= 30k; at = i -> relu output o = at -> relu }'),
    'network N {\n  input i: 4 x 4 x 1\n  budget params <= 30k;\n  at = i -> relu\n  output o = at -> relu\n}\n',
  );
});

test('CRLF, CR-only and a byte-order mark come out as plain \\n text', () => {
  const lf = 'network N {\n  input x: 4 x 4 x 1  // c\n\n  y = x -> relu\n}\n';
  assert.fixture(fmt(lf.replace(/\n/g, '\r\n')), lf);
  assert.fixture(fmt(lf.replace(/\n/g, '\r')), lf);
  assert.fixture(fmt('\uFEFF' + lf), lf);
  assert.is(formatSource(lf).ok && (formatSource(lf) as { changed: boolean }).changed, false);
});

test('an empty file and a comment-only file', () => {
  assert.is(fmt(''), '');
  assert.is(fmt('  \n\n'), '');
  assert.is(fmt('// just a note   \n\n\n// another\n'), '// just a note\n\n// another\n');
});

test('a file that does not parse is not formatted: its syntax errors come back', () => {
  const r = formatSource('network N { y = x -> }', { file: 'bad.gnet' });
  assert.is(r.ok, false);
  if (r.ok) return;
  assert.ok(r.diagnostics.length > 0);
  assert.is(r.diagnostics[0]!.code, 'GN0003');
  assert.is(r.diagnostics[0]!.primary.span.file, 'bad.gnet');
  assert.is(formatSource('network N { input x: 4 x 4 x 1 "open }').ok, false);
});

test('let bindings are statements like the others', () => {
  assert.fixture(fmt('block b(c){let w=c*2 conv(w,3)}'), 'block b(c) {\n  let w = c * 2\n  conv(w, 3)\n}\n');
});

test('indent width and line width are options', () => {
  assert.fixture(fmt('block b { relu }', { indent: 4 }), 'block b {\n    relu\n}\n');
});

test('experiment sections: a top-level item laid out as a train section, doc and trailing comments kept', () => {
  const src = 'network N{input x:4x4x1 output o=x->relu}\n/// Table 1.\nexperiment   T1{networks=[N] ; train_sizes=[ 1000,all ]   // sizes\n seeds=3 schedule=cosine(alpha=0.1)\n\n\n epochs = 2*10}experiment{}\n';
  assert.fixture(
    fmt(src),
    'network N {\n  input x: 4 x 4 x 1\n  output o = x -> relu\n}\n\n/// Table 1.\nexperiment T1 {\n  networks = [N]\n  train_sizes = [1000, all]  // sizes\n'
      + '  seeds = 3\n  schedule = cosine(alpha = 0.1)\n\n  epochs = 2 * 10\n}\n\nexperiment {}\n',
  );
});

test('a table per training-set size: one line, a space after `:` and `,`, none before', () => {
  assert.fixture(
    fmt('experiment T{train_sizes=[1000,all] epochs={1000:60 ,all : 10}}'),
    'experiment T {\n  train_sizes = [1000, all]\n  epochs = { 1000: 60, all: 10 }\n}\n',
  );
});

test.run();
