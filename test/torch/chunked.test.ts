/**
 * On a GPU the torch engine takes several steps per request and reads their results once
 * (backends/torch/engine.ts, GPU_STEPS_PER_CALL): no host sync per step. That path runs here on the CPU
 * by asking for it, and must train exactly as one step per request does, and stop a diverging run at
 * the very step that diverged, with nothing of it or after it applied.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TRAIN_ERRORS } from '../../runtime/train/codes.js';
import { compileForTraining, paramTable, snapshotOf } from '../../cli/commands/model.js';
import { fileHost } from '../../cli/host.js';
import { generateTorch } from '../../compiler/codegen/index.js';
import { placementFrom, torchEngineFactory } from '../../backends/torch/train-run.js';
import { loadCheckpoint } from '../../runtime/train/checkpoint.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { runTraining } from '../../runtime/train/run-training.js';
import { useCpu } from '../train/fixtures.js';
import { gnetErrorOf } from '../gnet-error.js';
import { torchTestsRun } from './helpers.js';
import { CELLS_SPEC, tempRun } from './train-helpers.js';

const runs = torchTestsRun('chunked.test.ts');
await useCpu();

const outcome = await compileForTraining({ entry: CELLS_SPEC }, fileHost);
if (!outcome.ok) throw new Error('the cells spec does not compile');
const { spec } = outcome;
const torch = generateTorch(spec.graph, spec.analysis, { sources: spec.sources });
const config = resolveConfig(spec.model.module.meta.training as never, { epochs: 2 }, spec.model.module.meta.network);

async function trained(stepsPerCall: number, env: NodeJS.ProcessEnv = {}) {
  const out = tempRun(`chunk${stepsPerCall}`);
  const placement = { ...placementFrom({ threads: 1 }, {}), stepsPerCall, env };
  const record = { format: 'gnet-run', version: 1, createdAt: 'now', spec: { file: CELLS_SPEC, network: 'TinyCells', params: {} }, backend: 'torch', train: config } as const;
  const run = { model: spec.model, config, out, resume: false, record, sources: snapshotOf(CELLS_SPEC, spec.sources), moduleSource: spec.source, params: paramTable(spec.analysis) };
  const factory = await torchEngineFactory(spec.model, config, { torchSource: torch.source, torchNetwork: torch.network, placement });
  return { out, result: await runTraining(run, factory) };
}

const weights = (out: string) => loadCheckpoint(`${out}/checkpoint`, spec.model.module.meta).state.weights.map((w) => Array.from(w.values));

if (runs) {
  test('four steps per request train exactly as one step per request', async () => {
    const [one, four] = [await trained(1), await trained(4)];
    assert.is(four.result.step, one.result.step);
    assert.equal(weights(four.out), weights(one.out));
  });

  test('a NaN in the middle of a request stops at that step; nothing of it or after it is applied or saved', async () => {
    // Five steps an epoch: requests of four are steps 1-4, 5; 6-9, 10. Global step 7 (index 6) is the second of its request.
    const error = await gnetErrorOf(() => trained(4, { GNET_TORCH_FAULT: 'nan:0:6' }));
    assert.is(error.code, TRAIN_ERRORS.nonFiniteLoss);
    assert.match(error.message, /training diverged at epoch 2, step 2 of 5 \(global step 7\): the loss became NaN/);
  });
}

test.run();
