/**
 * Names, docs, paths and training values are free text to the generator: a graph made of hostile
 * strings must give a module with the same structure as a benign one, whose data reads back unchanged.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ts } from 'ts-morph';
import { transpileModule } from '../../compiler/codegen/index.js';
import { compileSource } from '../../compiler/program.js';
import { importGenerated } from '../../runtime/load-generated.js';
import { analysed, generate, HOSTILE, hostileNetwork } from './helpers.js';

await tf.setBackend('cpu');

type ParsedFile = ts.SourceFile & { readonly parseDiagnostics: readonly ts.Diagnostic[] };

/** Top-level statements as `kind name`, the forward() body as statement kinds, every identifier used. */
function structure(text: string) {
  const file = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true) as ParsedFile;
  const nameOf = (s: ts.Statement) =>
    ts.isVariableStatement(s) ? s.declarationList.declarations.map((d) => d.name.getText(file)).join() : ((s as { name?: ts.Identifier }).name?.text ?? '');
  const forward = file.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'forward')!;
  const identifiers = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) identifiers.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return {
    errors: file.parseDiagnostics.length,
    top: file.statements.map((s) => `${ts.SyntaxKind[s.kind]} ${nameOf(s)}`),
    body: forward.body!.statements.map((s) => ts.SyntaxKind[s.kind]),
    identifiers,
  };
}

const benign = () => {
  const source = 'network N { input x: 6 x 6 x 2\n a = x -> conv(3) -> relu -> conv(3) -> batchnorm -> dropout(0.1) -> fre(1) -> relu\n output o = a }';
  const program = compileSource(source, 'benign.gnet');
  return analysed(program.graphs[0]!, program.sources);
};

test('hostile names and texts give the same module structure as benign ones, and no code', () => {
  const hostile = structure(generate(hostileNetwork()));
  const plain = structure(generate(benign()));
  assert.is(hostile.errors, 0);
  assert.equal(hostile.top, plain.top);
  assert.equal(hostile.body, plain.body);
  assert.not.ok(hostile.identifiers.has('process'), 'no text became code');
});

test('hostile texts read back unchanged from meta, and outputs keep their names', async () => {
  const network = hostileNetwork();
  const module = await importGenerated(transpileModule(generate(network, { displayPath: (file) => file })));
  assert.is(module.meta.network, HOSTILE.network);
  assert.is(module.meta.doc, HOSTILE.doc);
  assert.is(module.meta.source, HOSTILE.file);
  assert.equal(JSON.parse(JSON.stringify(module.meta.training)), JSON.parse(JSON.stringify(HOSTILE.training)));
  assert.ok(Object.hasOwn(module.meta.training!, '__proto__'), 'a __proto__ key stays an own key');
  assert.equal(module.meta.sourceMap.map((e) => e.node), network.graph.nodes.map((n) => n.name));
  assert.ok(module.meta.weights.every((w) => w.name.startsWith(HOSTILE.weightKey)));
  const weights = module.createWeights();
  const input = network.graph.inputs[0]!;
  const inputs = { [input.name]: tf.ones([1, ...input.shape]) };
  const outputs = module.forward(weights, inputs, { training: true, state: { epoch: 0, seed: 1, step: 0 } });
  assert.ok(Object.hasOwn(outputs, HOSTILE.output));
  assert.equal(outputs[HOSTILE.output]!.shape, [1, 6, 6, 3]);
  tf.dispose([outputs, inputs, weights]);
});

test.run();
