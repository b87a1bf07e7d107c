/**
 * tfjs cpu and PyTorch agree on the gauss networks of the zoo (reference, Gaussian U-Net) and on the
 * fixtures that together use every block, every gauss lowering with each mix and odd windows:
 * inference and training mode (batch norm on batch statistics, fre on the same random channels),
 * dropout off.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BLOCKS } from '../../compiler/blocks/index.js';
import { gaussLowering } from '../../compiler/blocks/gauss-lowering.js';
import { compileFile, networkNamed, REPO, type Network } from '../codegen/helpers.js';
import { compare, prepareAll, shrunk, withoutDropout, type Case, type Prepared } from './equivalence.js';
import { torchTestsRun } from './helpers.js';

const coverage = compileFile(join(REPO, 'test/torch/fixtures/coverage.gnet'));
const networks: Network[] = [...['Reference', 'GaussUNet', 'Segmenter', 'Classifier', 'Twins'].map(networkNamed), ...coverage.networks];

const runs = torchTestsRun('test/torch/equivalence-blocks.test.ts');
const cases: Case[] = networks.flatMap((full) => {
  const network = withoutDropout(shrunk(full, 32));
  return [
    { label: `${network.graph.name} inference`, network, training: false },
    { label: `${network.graph.name} training`, network, training: true },
  ];
});

test('the cases use every block kind and every gauss lowering with each mix it allows', () => {
  assert.equal(coverage.errors, []);
  const nodes = networks.flatMap((n) => n.graph.nodes.map((node) => ({ node, rows: n.analysis.rows })));
  assert.equal([...new Set(nodes.map(({ node }) => node.op))].filter((op) => op !== 'input').sort(), Object.keys(BLOCKS).sort());
  const lowerings = new Set(
    nodes.filter(({ node }) => node.op === 'gauss').map(({ node, rows }) => `${node.attrs.mix} ${gaussLowering(rows[node.inputs[0]!]!.shape!, node.attrs).lowering}`),
  );
  assert.equal([...lowerings].sort(), ['full basis-first', 'full combined', 'separated basis-first', 'separated combined', 'separated separated']);
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
