/** Every registered block is complete: documented, with valid defaults, and emits one well-formed expression. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ts } from 'ts-morph';
import { argValueProblem } from '../../compiler/blocks/arg-values.js';
import { BLOCKS, closestBlockName, isBlockKind, type BlockKind } from '../../compiler/blocks/index.js';
import { emitContext } from './harness.js';
import { SAMPLES } from './samples.js';

const kinds = Object.keys(BLOCKS) as BlockKind[];

/** Syntax errors of `const out = (expr);`, and whether it parsed as exactly that one statement. */
function parseExpression(expr: string): { errors: string[]; statements: number } {
  const source = `const out = (${expr});`;
  const { diagnostics = [] } = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const file = ts.createSourceFile('emit.ts', source, ts.ScriptTarget.ES2022);
  return { errors: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), statements: file.statements.length };
}

for (const kind of kinds) {
  test(`${kind}: registry entry is complete`, () => {
    const def = BLOCKS[kind];
    assert.is(def.kind, kind, 'registered under its own kind');
    assert.ok(def.summary.trim().length > 0, 'summary');
    for (const [name, spec] of Object.entries(def.args)) {
      assert.ok(spec.doc.trim().length > 0, `doc of ${name}`);
      if (spec.type === 'enum') assert.ok((spec.values ?? []).length > 1, `values of ${name}`);
      if (spec.default === undefined) continue;
      assert.is(argValueProblem(spec, spec.default), undefined, `default of ${name}`);
    }
    for (const name of def.positional) assert.ok(Object.hasOwn(def.args, name), `positional ${name} is an argument`);
    assert.ok(def.inputs.min >= 1 && def.inputs.max >= def.inputs.min, 'input count');
  });

  test(`${kind}: emit() gives one TypeScript expression`, () => {
    const { args, inputs } = SAMPLES[kind];
    // A compound input expression checks that emit never splices an input in unparenthesised.
    for (const inputExpr of [(i: number) => `inputs[${i}]`, (i: number) => `tf.add(a${i}, b${i})`]) {
      const expr = BLOCKS[kind].emit(emitContext(kind, args, inputs, inputExpr));
      assert.equal(parseExpression(expr), { errors: [], statements: 1 }, expr);
    }
  });
}

test('the parse check itself rejects broken and smuggled code', () => {
  assert.ok(parseExpression('tf.relu(x').errors.length > 0);
  assert.is(parseExpression('x); evil(').statements, 2);
});

test('attribute strings are quoted, never spliced as code', () => {
  const ctx = emitContext('upsample', {}, [[4, 4, 1]]);
  const hostile = { ...ctx, attrs: { ...ctx.attrs, mode: '"); process.exit(1); ("' } };
  const expr = BLOCKS.upsample.emit(hostile);
  assert.equal(parseExpression(expr), { errors: [], statements: 1 });
  assert.ok(expr.includes(JSON.stringify(hostile.attrs.mode)));
});

test('closestBlockName suggests the intended block', () => {
  assert.is(closestBlockName('maxpool2d'), 'maxpool');
  assert.is(closestBlockName('batch_norm'), 'batchnorm');
  assert.is(closestBlockName('Conv'), 'conv');
  assert.is(closestBlockName('desne'), 'dense');
  assert.is(closestBlockName('globalavgpool'), 'global_avgpool');
  assert.is(closestBlockName('transformer'), undefined);
  assert.ok(isBlockKind('gauss') && !isBlockKind('toString'));
});

test.run();
