import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyIR } from '../../compiler/analysis/index.js';
import { compileSource } from '../../compiler/program.js';

const compile = (src: string, files: Record<string, string> = {}, params?: Map<string, number | string>) => compileSource(src, 'main.gnet', files, { params });
const clean = (src: string, files: Record<string, string> = {}) => {
  const p = compile(src, files);
  assert.equal(p.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  for (const g of p.graphs) assert.equal(verifyIR(g), []);
  return p.graphs[0]!;
};
const codes = (src: string, files: Record<string, string> = {}) => compile(src, files).diagnostics.map((d) => d.code);
const NET = (body: string) => `network N(base = 4) { input x: 16 x 16 x 3\n${body} }`;

test('names: single-stage assignments name the node, chains open a frame, counters dedupe', () => {
  const g = clean(NET('a = x -> relu\nb = a -> conv(8) -> relu -> conv(8)\noutput o = b'));
  assert.equal(g.nodes.map((n) => n.name), ['x', 'a', 'b.conv', 'b.relu', 'b.conv_1']);
  assert.equal(g.nodes[4]!.path, ['b', 'conv_1']);
});

test('user blocks: parameters, defaults from earlier parameters, arithmetic, frames', () => {
  const g = clean(`block st(c, k = c / 2 + 1) { conv(c, size = k) -> relu }
    ${NET('y = x -> st(base * 2) -> st(base)\noutput o = y')}`);
  const convs = g.nodes.filter((n) => n.op === 'conv');
  assert.equal(convs.map((n) => [n.name, n.attrs.filters, n.attrs.size]), [['y.st.conv', 8, 5], ['y.st_1.conv', 4, 3]]);
});

test('tensor-valued parameters and implicit continuation inside blocks', () => {
  const g = clean(`block up(skip, c) { upsample(2) -> concat(skip) -> conv(c) }
    ${NET('e = x -> conv(4)\nd = e -> maxpool(2) -> up(e, 8)\noutput o = d')}`);
  const concat = g.nodes.find((n) => n.op === 'concat')!;
  assert.is(g.nodes[concat.inputs[1]!]!.name, 'e');
});

test('for loops rebind names from outside the loop; `* n` repeats a stage', () => {
  const g = clean(NET('y = x\nfor i in 0..3 { y = y -> conv(base * 2 ^ i) }\nz = y -> relu * 2\noutput o = z'));
  assert.equal(g.nodes.filter((n) => n.op === 'conv').map((n) => n.attrs.filters), [4, 8, 16]);
  assert.is(g.nodes.filter((n) => n.op === 'relu').length, 2);
  assert.is(g.outputs[0]!.node, g.nodes.length - 1);
});

test('if/else picks a branch by parameters; names bound inside stay visible', () => {
  const src = `block res(c, project = false) {
      main = in -> conv(c) -> relu
      if project { short = in -> conv(c, size = 1) } else { short = in }
      add(main, short)
    }
    ${NET('a = x -> res(3)\nb = a -> res(8, project = true)\noutput o = b')}`;
  const g = clean(src);
  assert.equal(g.nodes.filter((n) => n.op === 'conv').map((n) => n.attrs.size), [3, 3, 1]);
});

test('shared instances: one weight key for every use, also inside shared user blocks', () => {
  const g = clean(`block enc(c) { conv(c) -> relu -> conv(c) }
    ${NET('shared e = enc(4)\nshared k = conv(4, size = 1)\na = x -> e\nb = a -> e\nc = b -> k\nd = c -> k\noutput o = d')}`);
  const convs = g.nodes.filter((n) => n.op === 'conv');
  assert.is(convs.length, 6);
  assert.is(convs[0]!.weights, convs[2]!.weights);
  assert.is(convs[1]!.weights, convs[3]!.weights);
  assert.is.not(convs[0]!.weights, convs[1]!.weights);
  assert.is(convs[4]!.weights, convs[5]!.weights);
  assert.is.not(convs[0]!.name, convs[2]!.name);
});

test('imports: named and whole-file, relative to the importing file', () => {
  const files = { 'lib/blocks.gnet': 'import "./more.gnet"\nblock st(c) { conv(c) -> helper }', 'lib/more.gnet': 'block helper { relu }' };
  clean(`import { st } from "./lib/blocks.gnet"\n${NET('y = x -> st(4)\noutput o = y')}`, files);
  assert.equal(codes(`import { sx } from "./lib/blocks.gnet"\n${NET('output o = x')}`, files), ['GN0602']);
  assert.equal(codes(`import "./nope.gnet"\n${NET('output o = x')}`), ['GN0601']);
  assert.ok(codes('import "./b.gnet"\nnetwork N { input x: 1 x 1 x 1 output o = x }', { 'b.gnet': 'import "./main.gnet"' }).includes('GN0603'));
});

test('the training section becomes plain data', () => {
  const g = clean(NET('output o = x -> relu\ntrain { epochs = 2; batch = 45; optimizer = adam(lr = 0.01); metrics = [accuracy, miou]; data = "fashion-mnist" }'));
  assert.equal(g.training, { epochs: 2, batch: 45, optimizer: { name: 'adam', lr: 0.01 }, metrics: ['accuracy', 'miou'], data: 'fashion-mnist' });
});

test('network parameter overrides, and unknown overrides', () => {
  const p = compile(NET('output o = x -> conv(base)'), {}, new Map([['base', 16]]));
  assert.is(p.graphs[0]!.nodes[1]!.attrs.filters, 16);
  assert.equal(compile(NET('output o = x'), {}, new Map([['bse', 1]])).diagnostics.map((d) => d.code), ['GN0210']);
});

test('argument errors: unknown (with suggestion), missing, wrong type, range, positional overflow, duplicate', () => {
  const p = compile(NET('a = x -> conv(8, sise = 3)\nb = x -> conv\nc = x -> conv(2.5)\nd = x -> dropout(rate = 2)\ne = x -> relu(1)\nf = x -> conv(8, size = 3, size = 5)\ng = x -> conv(8, padding = vaild)\noutput o = x'));
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0102', 'GN0103', 'GN0104', 'GN0107', 'GN0106', 'GN0105', 'GN0104']);
  assert.is(p.diagnostics[0]!.help, 'did you mean `size`?');
  assert.is(p.diagnostics[6]!.help, 'did you mean `valid`?');
});

test('name errors: unknown block with suggestion, unknown value, use before definition, duplicates', () => {
  const p = compile(NET('a = x -> convv(8)\nb = x -> conv(bse)\nc = d -> relu\nd = x -> relu\nd2 = x\nd2 = x\noutput o = x'));
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0101', 'GN0201', 'GN0202', 'GN0203']);
  assert.is(p.diagnostics[0]!.help, 'did you mean `conv`?');
  assert.is(p.diagnostics[1]!.help, 'did you mean `base`?');
});

test('recursive blocks, direct and indirect, are reported once per call site and do not hang', () => {
  const p = compile(`block a { b } block b { a } ${NET('y = x -> a\noutput o = y')}`);
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0207']);
  assert.match(p.diagnostics[0]!.message, /a → b → a/);
});

test('runaway loops stop at the node cap with one diagnostic', () => {
  const p = compile(NET('y = x\nfor i in 0..100000000 { y = y -> relu }\noutput o = y'));
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0209']);
});

test('an error poisons what depends on it without cascades', () => {
  const p = compile(NET('a = x -> conv(nope)\nb = a -> relu -> conv(8)\nc = add(a, b)\noutput o = c'));
  assert.equal(p.diagnostics.map((d) => d.code), ['GN0201']);
});

test('inputs, outputs and budgets live in networks; a network needs both', () => {
  assert.equal(codes('block b { input q: 1 x 1 x 1 } network N { input x: 1 x 1 x 1 y = x -> b output o = y }'), ['GN0214']);
  assert.equal(codes('network N { input x: 1 x 1 x 1 }'), ['GN0206']);
  assert.equal(codes(NET('output o = x\nbudget parms <= 3k')), ['GN0502']);
});

test('merge blocks take their inputs as arguments; a value is not a stage', () => {
  const g = clean(NET('a = x -> conv(3)\nb = add(a, x)\nc = b -> concat(a, x)\noutput o = c'));
  assert.equal(g.nodes.find((n) => n.op === 'concat')!.inputs.length, 3);
  assert.equal(codes(NET('a = x -> relu -> x\noutput o = a')), ['GN0204']);
  assert.equal(codes(NET('a = conv(3)\noutput o = a')), ['GN0205']);
});

test('no follow-on errors: failed arguments, misspelt merge inputs, bad conditions, missing parameters and imports', () => {
  assert.equal(codes(NET('a = x -> conv(widht * 2)\noutput o = a')), ['GN0201']);
  const merge = compile(NET('skip = x -> conv(4)\na = x -> conv(4) -> concat(skp)\noutput o = a'));
  assert.equal(merge.diagnostics.map((d) => [d.code, d.help]), [['GN0201', 'did you mean `skip`?']]);
  assert.equal(codes(NET('if base { h = x } else { h = x -> relu }\noutput o = h -> relu')), ['GN0104']);
  assert.equal(codes('network N(width) { input x: 4 x 4 x 1 output o = x -> conv(width) }'), ['GN0103']);
  assert.equal(codes(`import "./gone.gnet"\n${NET('output o = x -> stage(4)')}`), ['GN0601']);
  assert.equal(codes(`import { stage } from "./gone.gnet"\n${NET('output o = x -> stage(4)')}`), ['GN0601']);
  const pool = compile(NET('output o = x -> maxpool(3, 2)'));
  assert.is(pool.diagnostics[0]!.help, 'name the argument, e.g. `stride = …`');
});

test('a shared instance used where its weights do not fit is reported at that use', async () => {
  const { analyzeGraph } = await import('../../compiler/analysis/index.js');
  const p = compile('network N { input rgb: 8 x 8 x 3 input depth: 8 x 8 x 1 shared enc = conv(8)\na = rgb -> enc\nb = depth -> enc\noutput o = concat(a, b) }');
  const found: string[] = [];
  analyzeGraph(p.graphs[0]!, {}, (d) => found.push(`${d.code}@${p.sources.get(d.primary.span.file)!.slice(d.primary.span.start, d.primary.span.end)}`));
  assert.equal(found, ['GN0401@enc']);
});

test.run();
