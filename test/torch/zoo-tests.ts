/** The zoo equivalence tests, registered for the networks a test file picks (zoo.ts makes them small). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compare, prepareAll, type Case, type Prepared } from './equivalence.js';
import { torchTestsRun } from './helpers.js';
import { type ZooEntry, zoo, zooCases } from './zoo.js';

export function zooEquivalenceTests(file: string, pick: (entry: ZooEntry) => boolean): void {
  const runs = torchTestsRun(file);
  const entries = zoo().filter(pick);
  const cases = zooCases(entries);
  for (const e of entries) if (e.skip) console.log(`  not here: ${e.name} (${e.file}): ${e.skip}`);

  equivalenceTests(cases, runs, 'outputs and gradients match tfjs cpu');
  test.run();
}

/** One test per case (all cases run on tfjs first, then in one torch harness), skipped where torch is missing. */
export function equivalenceTests(cases: readonly Case[], runs: boolean, claim: string): void {
  let prepared: Prepared[] = [];
  test.before(async () => {
    if (runs) prepared = await prepareAll(cases);
  });

  for (const [i, c] of cases.entries()) {
    (runs ? test : test.skip)(`${c.label}: ${claim}`, () => {
      const result = compare(prepared[i]!);
      assert.is(result.error, undefined, result.error);
      assert.equal(result.problems, []);
      assert.ok(result.compared > 0);
      console.log(`  ${c.label}, input ${c.network.graph.inputs[0]!.shape.join('×')}: worst output ${result.worstOutput.toExponential(1)}, gradient ${result.worstGradient.toExponential(1)} over ${result.compared} tensors`);
    });
  }
}
