/** The examples folder: weight sharing, imports by relative path, and a budget that fails. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { compileSource } from '../../compiler/program.js';
import { SPECS_DIR, compileSpec, network } from './compile.js';
import { OVER_BUDGET, SIAMESE_ENCODER } from './expected-examples.js';

const source = (file: string) => readFileSync(join(SPECS_DIR, file), 'utf8');

test('shared: the second use of the encoder reuses the first use’s weights', () => {
  const { rows } = network('examples/shared.gnet', 'Siamese');
  const second = rows.filter((r) => r.node.path[0] === 'b' && r.node.op === 'conv');
  assert.is(second.length, 3);
  for (const row of second) {
    assert.is(row.trainable, 0);
    assert.is(row.sharedWith, row.node.name.replace(/^b\./, 'a.'));
  }
});

test('shared: without `shared` the same network holds a second copy of the encoder', () => {
  const unshared = source('examples/shared.gnet')
    .replace('shared embed = encoder(16)', '')
    .replaceAll('-> embed', '-> encoder(16)');
  const program = compileSource(unshared, 'unshared.gnet');
  assert.equal(program.diagnostics, []);
  const totals = analyzeGraph(program.graphs[0]!, {}, () => assert.unreachable('no diagnostics')).totals;
  assert.is(totals.trainable, network('examples/shared.gnet', 'Siamese').totals.trainable + SIAMESE_ENCODER);
});

test('imports: nodes are built from blocks of a sibling file and of the parent folder', () => {
  const { graph } = network('examples/imports.gnet', 'TinyResNet');
  const fileOf = (value: string) => new Set(graph.nodes.filter((n) => n.path[0] === value).map((n) => basename(n.span.file)));
  assert.equal([...fileOf('stem')], ['common.gnet']);
  assert.equal([...fileOf('r2')], ['resnet18.gnet']);
  assert.equal([...fileOf('probs')], ['common.gnet']);
  // The imported `basic` still finds its helper block `bn`, defined only in resnet18.gnet.
  assert.ok(graph.nodes.some((n) => n.name === 'r2.short.bn.batchnorm'));
});

test('over-budget: one GN0501 error at the budget line, naming the largest contributors', () => {
  const compiled = compileSpec('examples/over-budget.gnet');
  assert.is(compiled.diagnostics.length, 1);
  const [d] = compiled.diagnostics;
  assert.is(d!.code, 'GN0501');
  assert.is(d!.severity, 'error');
  const text = source('examples/over-budget.gnet');
  assert.ok(text.slice(d!.primary.span.start, d!.primary.span.end).startsWith('budget trainable <= 30k'));
  const contributors = (d!.secondary ?? []).map((l) => text.slice(l.span.start, l.span.end));
  assert.ok(contributors.length > 0);
  assert.ok(contributors.every((c) => c.startsWith('conv(')), contributors.join(' | '));
});

test('over-budget: the verdict carries the measured total', () => {
  const [verdict] = network('examples/over-budget.gnet', 'OverBudget').budgets;
  assert.equal({ status: verdict!.status, value: verdict!.value }, { status: 'fail', value: OVER_BUDGET });
});

test.run();
