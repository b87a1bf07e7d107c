/**
 * Every spec of the zoo compiles without a diagnostic, every network in it has an expectation,
 * a doc comment and the expected trainable / non-trainable totals and key shapes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSpec, describe, network, valueShape, zooFiles } from './compile.js';
import type { Expectations } from './expected.js';
import { CLASSIC } from './expected-classic.js';
import { EXAMPLES } from './expected-examples.js';
import { GAUSS } from './expected-gauss.js';
import { SEGMENTATION } from './expected-segmentation.js';
import { VOLUMES } from './expected-volumes.js';

const EXPECTED: Expectations = { ...CLASSIC, ...SEGMENTATION, ...GAUSS, ...EXAMPLES, ...VOLUMES };
/** The one spec that must fail: its budget is deliberately too small. */
const FAILING = 'examples/over-budget.gnet';

test('every spec file of the zoo has expectations, and every expectation a spec file', () => {
  assert.equal(zooFiles(), Object.keys(EXPECTED).sort());
});

for (const file of zooFiles().filter((f) => f !== FAILING)) {
  test(`${file} compiles without diagnostics`, () => {
    assert.equal(describe(compileSpec(file).diagnostics), []);
  });
}

for (const [file, networks] of Object.entries(EXPECTED)) {
  test(`${file} declares exactly the expected networks, each documented`, () => {
    const compiled = compileSpec(file).networks;
    assert.equal([...compiled.keys()].sort(), Object.keys(networks).sort());
    for (const [name, analysis] of compiled) assert.ok(analysis.graph.doc.trim().length > 0, `${name} has no doc comment`);
  });

  for (const [name, expected] of Object.entries(networks)) {
    test(`${file} ${name}: ${expected.trainable} trainable, ${expected.nonTrainable} non-trainable`, () => {
      const { totals } = network(file, name);
      assert.equal({ trainable: totals.trainable, nonTrainable: totals.nonTrainable }, { trainable: expected.trainable, nonTrainable: expected.nonTrainable });
    });

    if (expected.shapes) {
      test(`${file} ${name}: shapes of ${Object.keys(expected.shapes).join(', ')}`, () => {
        const analysis = network(file, name);
        for (const [value, shape] of Object.entries(expected.shapes!)) assert.equal(valueShape(analysis, value), shape, value);
      });
    }
  }
}

test('every budget declared in the zoo passes, except in the deliberately failing example', () => {
  for (const file of zooFiles().filter((f) => f !== FAILING)) {
    for (const [name, analysis] of compileSpec(file).networks) {
      for (const verdict of analysis.budgets) assert.is(verdict.status, 'pass', `${file} ${name}: budget ${verdict.budget.metric}`);
    }
  }
});

test.run();
