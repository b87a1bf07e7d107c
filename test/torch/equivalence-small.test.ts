/**
 * tfjs cpu and PyTorch agree on the gauss networks (reference, Gaussian U-Net) and on the fixtures
 * that use every block: inference and training mode (batch norm on batch statistics, fre on the
 * same random channels), dropout off.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { networkNamed } from '../codegen/helpers.js';
import { compare, prepareAll, shrunk, withoutDropout, type Case, type Prepared } from './equivalence.js';
import { torchTestsRun } from './helpers.js';

const NETWORKS = ['Reference', 'GaussUNet', 'Segmenter', 'Classifier', 'Twins'];

const runs = torchTestsRun('test/torch/equivalence-small.test.ts');
const cases: Case[] = NETWORKS.flatMap((name) => {
  const network = withoutDropout(shrunk(networkNamed(name), 32));
  return [
    { label: `${name} inference`, network, training: false },
    { label: `${name} training`, network, training: true },
  ];
});

let prepared: Prepared[] = [];
test.before(async () => {
  if (runs) prepared = await prepareAll(cases);
});

for (const [i, c] of cases.entries()) {
  (runs ? test : test.skip)(`${c.label}: outputs, gradients and statistics match tfjs cpu`, () => {
    const result = compare(prepared[i]!);
    assert.is(result.error, undefined, result.error);
    assert.equal(result.problems, []);
    assert.ok(result.compared > 0);
    console.log(`  ${c.label}: worst output ${result.worstOutput.toExponential(1)}, gradient ${result.worstGradient.toExponential(1)} over ${result.compared} tensors`);
  });
}

test.run();
