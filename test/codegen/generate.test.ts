import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ts } from 'ts-morph';
import { product } from '../../compiler/blocks/arith.js';
import { BLOCKS } from '../../compiler/blocks/index.js';
import { castTo, parseEmitted } from '../../compiler/codegen/expression.js';
import { IdentifierPool, sanitizeIdentifier } from '../../compiler/codegen/identifiers.js';
import { blockCommentText, docComment, lineCommentText } from '../../compiler/codegen/literal.js';
import { compileFile, displayPath, generate, loadZoo, networkNamed, specFiles } from './helpers.js';

const { networks, failures } = loadZoo();

/** The meta object literal of a module, evaluated as plain data (it holds no code). */
function metaOf(text: string): Record<string, unknown> {
  const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true);
  const meta = file.statements.find(ts.isVariableStatement)!.declarationList.declarations[0]!;
  const literal = (meta.initializer as ts.AsExpression).expression;
  return JSON.parse(JSON.stringify(new Function(`return (${literal.getText(file)});`)()));
}

test('every spec of the zoo and the fixtures compiles and analyses without errors', () => {
  assert.equal(failures, []);
});

test('the specs cover every block', () => {
  const ops = new Set(networks.flatMap((n) => n.graph.nodes.map((node) => node.op)));
  assert.equal(Object.keys(BLOCKS).filter((kind) => !ops.has(kind)), []);
});

test('deterministic: the same spec gives byte-identical modules, compiled afresh or not', () => {
  for (const file of specFiles()) {
    const [first, again] = [compileFile(file), compileFile(file)];
    first.networks.forEach((network, i) => {
      const text = generate(network);
      // Plain comparisons: a diff of two whole modules would bury the name.
      assert.ok(generate(network) === text, `${network.graph.name}: generated twice`);
      assert.ok(generate(again.networks[i]!) === text, `${network.graph.name}: compiled again`);
    });
  }
});

test('every forward statement is mapped back to its node and to its place in the .gnet source', () => {
  for (const network of networks) {
    const text = generate(network);
    const lines = text.split('\n');
    const meta = metaOf(text) as { sourceMap: { generatedLine: number; node: string; file: string; line: number; column: number }[] };
    assert.is(meta.sourceMap.length, network.graph.nodes.length);
    meta.sourceMap.forEach((entry, i) => {
      const node = network.graph.nodes[i]!;
      assert.is(entry.node, node.name);
      assert.ok(/^\s*const \w+ = /.test(lines[entry.generatedLine - 1]!), `line ${entry.generatedLine} declares ${node.name}`);
      assert.ok(lines[entry.generatedLine - 2]!.includes(`// ${node.name} (${node.op}`), `comment above ${node.name}`);
      assert.ok(lines[entry.generatedLine - 2]!.endsWith(`${entry.file}:${entry.line}:${entry.column}`));
      // Independent check of line:column: count lines in the source text up to the span.
      const source = network.sources.get(node.span.file)!;
      const before = source.slice(0, node.span.start).split('\n');
      assert.equal([entry.file, entry.line, entry.column], [displayPath(node.span.file), before.length, before.at(-1)!.length + 1]);
    });
  }
});

test('meta lists each weight once, shared ones by their first use, and totals match the shapes', () => {
  for (const network of networks) {
    const meta = metaOf(generate(network)) as { weights: { name: string; shape: number[]; trainable: boolean }[]; params: { trainable: number; nonTrainable: number; total: number } };
    const names = meta.weights.map((w) => w.name);
    assert.equal(names, [...new Set(names)], `${network.graph.name}: unique weight names`);
    const count = (trainable: boolean) => meta.weights.filter((w) => w.trainable === trainable).reduce((sum, w) => sum + product(w.shape), 0);
    assert.equal(meta.params, { trainable: count(true), nonTrainable: count(false), total: count(true) + count(false) });
  }
  const twins = metaOf(generate(networkNamed('Twins'))) as { weights: { name: string; block: string }[] };
  assert.equal(twins.weights.filter((w) => w.name.startsWith('enc/')).map((w) => [w.name, w.block]), [
    ['enc/conv/kernel', 'l.conv'],
    ['enc/batchnorm/gamma', 'l.batchnorm'],
    ['enc/batchnorm/beta', 'l.batchnorm'],
    ['enc/batchnorm/moving_mean', 'l.batchnorm'],
    ['enc/batchnorm/moving_variance', 'l.batchnorm'],
  ]);
  const text = generate(networkNamed('Twins'));
  assert.ok(/const r_conv = .*weights\["enc\/conv\/kernel"\]/.test(text), 'the second use computes with the shared kernel');
});

test('the runtime specifier is configurable and the module imports nothing else', () => {
  const text = generate(networkNamed('Segmenter'), { runtimeModule: '../runtime/index.js' });
  const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true);
  const imports = file.statements.filter(ts.isImportDeclaration).map((i) => (i.moduleSpecifier as ts.StringLiteral).text);
  assert.equal(imports, ['@tensorflow/tfjs-core', '../runtime/index.js']);
});

test('identifiers: sanitized, never reserved, deduplicated in order', () => {
  assert.is(sanitizeIdentifier('e1.conv_0'), 'e1_conv_0');
  assert.is(sanitizeIdentifier('2x'), '_2x');
  assert.is(sanitizeIdentifier('class'), 'class_');
  assert.is(sanitizeIdentifier('é'), '_');
  const pool = new IdentifierPool(['tf']);
  assert.equal(['tf', 'a.b', 'a_b', 'a.b', ''].map((n) => pool.claim(n)), ['tf_2', 'a_b', 'a_b_2', 'a_b_3', '_']);
});

test('comment text cannot end its comment', () => {
  assert.is(lineCommentText('a\nb\r\nc\u2028d\u2029e'), 'a b  c d e');
  assert.is(blockCommentText('x */ y'), 'x *\\/ y');
  assert.is(docComment('one */ two\nthree'), '/**\n * one *\\/ two\n * three\n */\n');
});

test('emitted expressions: exactly one expression, no comments, cast with parentheses when needed', () => {
  for (const bad of ['x); process.exit(1', 'tf.relu(x);', 'a; b', 'tf.relu(x) // c', 'f(/* c */ x)', '']) {
    assert.throws(() => parseEmitted(bad, 'n'), /not one expression/, bad);
  }
  const cast = (e: string) => castTo(parseEmitted(e, 'n'), 'tf.Tensor4D');
  assert.is(cast('tf.relu(x)'), 'tf.relu(x) as tf.Tensor4D');
  assert.is(cast('a?b:c'), '(a ? b : c) as tf.Tensor4D');
  assert.is(cast('((x$) => tf.mul(x$,x$))(y)'), '((x$) => tf.mul(x$, x$))(y) as tf.Tensor4D');
  assert.is(cast('f([1,1], {"a":"\\u0041"}, 1e3)'), 'f([1, 1], { "a": "\\u0041" }, 1e3) as tf.Tensor4D', 'literals keep their text');
});

test.run();
