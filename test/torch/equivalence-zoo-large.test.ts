/**
 * The largest networks of the model zoo (the ResNets, the valid-padding U-Net, AlexNet; VGG16 and its
 * gauss twin with GNET_TORCH_ZOO=all), made small (zoo.ts): tfjs cpu and PyTorch agree in inference
 * mode at batch 1, as in equivalence-zoo.test.ts; a file of their own so the runner runs both at once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compare, prepareAll, type Prepared } from './equivalence.js';
import { torchTestsRun } from './helpers.js';
import { LARGE, zoo, zooCases } from './zoo.js';

const runs = torchTestsRun('test/torch/equivalence-zoo-large.test.ts');
const entries = zoo().filter((e) => LARGE.has(e.name));
const cases = zooCases(entries);
for (const e of entries) if (e.skip) console.log(`  not here: ${e.name} (${e.file}): ${e.skip}`);

let prepared: Prepared[] = [];
test.before(async () => {
  if (runs) prepared = await prepareAll(cases);
});

for (const [i, c] of cases.entries()) {
  (runs ? test : test.skip)(`${c.label}: outputs and gradients match tfjs cpu`, () => {
    const result = compare(prepared[i]!);
    assert.is(result.error, undefined, result.error);
    assert.equal(result.problems, []);
    assert.ok(result.compared > 0);
    console.log(`  ${c.label}, input ${c.network.graph.inputs[0]!.shape.join('×')}: worst output ${result.worstOutput.toExponential(1)}, gradient ${result.worstGradient.toExponential(1)} over ${result.compared} tensors`);
  });
}

test.run();
