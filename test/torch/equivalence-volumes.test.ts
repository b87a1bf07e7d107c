/**
 * tfjs cpu and PyTorch agree on networks over volumes (D x H x W x C): every 3-D block of
 * test/codegen/fixtures/volumes.gnet and the 3-D gauss layers of fixtures/volumes-gauss.gnet, whose
 * lowerings TensorFlow.js computes as the compiler chose them and torch as one conv3d: inference and
 * training mode, outputs, gradients and batch statistics.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gaussLowering } from '../../compiler/blocks/gauss-lowering.js';
import { compileFile, REPO } from '../codegen/helpers.js';
import { withoutDropout, type Case } from './equivalence.js';
import { torchTestsRun } from './helpers.js';
import { equivalenceTests } from './zoo-tests.js';

const networks = ['test/codegen/fixtures/volumes.gnet', 'test/torch/fixtures/volumes-gauss.gnet'].flatMap((file) => compileFile(join(REPO, file)).networks);
const runs = torchTestsRun('test/torch/equivalence-volumes.test.ts');
const cases: Case[] = networks.flatMap((full) => {
  const network = withoutDropout(full);
  return [
    { label: `${network.graph.name} inference`, network, training: false },
    { label: `${network.graph.name} training`, network, training: true },
  ];
});

test('the volume gauss layers use every lowering with each mix it allows', () => {
  const lowerings = networks.flatMap((n) => n.graph.nodes.filter((node) => node.op === 'gauss').map((node) => `${node.attrs.mix} ${gaussLowering(n.analysis.rows[node.inputs[0]!]!.shape!, node.attrs).lowering}`));
  assert.equal([...new Set(lowerings)].sort(), ['full basis-first', 'full basis-first-axes', 'full combined', 'separated combined', 'separated separated', 'separated separated-axes']);
});

equivalenceTests(cases, runs, 'outputs, gradients and statistics match tfjs cpu');

test.run();
