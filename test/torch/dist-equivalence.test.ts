/**
 * `--workers N` trains as one worker does, batch norm included: each global batch is split over the
 * workers (8 → 3 + 3 + 2; 45 → 23 + 22 and 15 each), every worker's loss is weighted by its share,
 * and batch norm reduces its statistics over all of them (gnet_torch/sync.py).
 *
 * Exactness is checked where it can be seen: the torch engine's own workers in float64 (a job key only
 * tests use) take five Adam steps on the Gaussian U-Net at 32×32 (batch norm in every unit) and on the
 * reference network, and 3 workers end with the weights of one within 1e-6. In float32 the workers sum
 * the batch in another order than one process, and the result differs from one worker's by about as
 * much as one worker's float32 gradient differs from the exact one (GaussUNet: 9e-5 after one step),
 * which Adam can grow further; so the float32 runs through `gnet train` use SGD and the reference
 * network (2e-6 measured) on 2 and 3 workers, and two "nodes" on loopback (NODE_RANK 0 and 1) agree
 * with one worker.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTorchEngine } from '../../backends/torch/engine.js';
import { freePort } from '../../backends/torch/launch.js';
import { placementFrom, prepareTorchJob } from '../../backends/torch/train-run.js';
import { compileForTraining } from '../../cli/commands/model.js';
import { fileHost } from '../../cli/host.js';
import { generateTorch } from '../../compiler/codegen/index.js';
import { resolveConfig } from '../../runtime/train/config.js';
import type { EngineState } from '../../runtime/train/engine.js';
import { openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { specResized } from '../specs/files.js';
import { PYTHON, torchTestsRun } from './helpers.js';
import { CELLS_SPEC, ROOT, gnet, maxWeightDifference, readCheckpoint, tempRun } from './train-helpers.js';

const runs = torchTestsRun('dist-equivalence.test.ts');

/** Five steps of the torch engine in float64 with `workers` workers; the state after them. */
async function fiveSteps(specFile: string, network: string, flags: Parameters<typeof resolveConfig>[1], workers: number): Promise<EngineState> {
  const outcome = await compileForTraining({ entry: specFile, network }, fileHost);
  if (!outcome.ok) throw new Error(`${specFile} does not compile`);
  const { spec } = outcome;
  const config = resolveConfig(spec.model.module.meta.training as never, flags, network);
  const task = describeTask(spec.model.module.meta, spec.model.info.outputs, config.loss);
  const data = openTrainingData(config, task);
  const torch = generateTorch(spec.graph, spec.analysis, { sources: spec.sources });
  const placement = { ...placementFrom({ workers, threads: 1 }, {}) };
  const job = prepareTorchJob(join(tempRun('exact'), 'torch'), { model: spec.model, config, task, data, target: { torchSource: torch.source, torchNetwork: torch.network, placement }, python: PYTHON });
  writeFileSync(job.jobFile, JSON.stringify({ ...JSON.parse(readFileSync(job.jobFile, 'utf8')), dtype: 'float64' }));
  const engine = await startTorchEngine(job, placement, config);
  try {
    await engine.start(null);
    for (let index = 0; index < 5; index++) await engine.steps([{ epoch: 0, index, step: index, lr: config.optimizer.lr }]);
    return await engine.state();
  } finally {
    await engine.close();
  }
}

function largestDifference(a: EngineState, b: EngineState): { value: number; weight: string } {
  let worst = { value: 0, weight: '' };
  a.weights.forEach((w, i) => w.values.forEach((v, j) => {
    const d = Math.abs(v - b.weights[i]!.values[j]!);
    if (d > worst.value) worst = { value: d, weight: w.name };
  }));
  return worst;
}

async function exactOverWorkers(specFile: string, network: string, flags: Parameters<typeof resolveConfig>[1]): Promise<void> {
  const [one, three] = [await fiveSteps(specFile, network, flags, 1), await fiveSteps(specFile, network, flags, 3)];
  const worst = largestDifference(one, three);
  assert.ok(worst.value <= 1e-6, `3 workers: ${worst.weight} differs by ${worst.value}`);
}

async function trained(spec: string, extra: readonly string[]): Promise<string> {
  const out = tempRun('dist');
  const { code, stderr } = await gnet(['train', spec, '--backend', 'torch', '--threads', '1', '--out', out, ...extra]).exited;
  assert.is(code, 0, stderr);
  return out;
}

if (runs) {
  test('GaussUNet, batch 8, Adam, float64: 3 workers end five steps with the weights of one', async () => {
    // At 32×32: the same units and batch norms as at 128×128, a sixteenth of the arithmetic.
    const small = join(tempRun('small-unet'), '..', 'gauss-unet-32.gnet');
    writeFileSync(small, specResized('specs/gauss-unet.gnet', '128 x 128 x 3', '32 x 32 x 3'));
    await exactOverWorkers(small, 'GaussUNet', { data: 'synthetic-cells:50', validationSplit: 0.2, batch: 8 });
  });

  test('the reference network, batch 45, Adam, float64: 3 workers end five steps with the weights of one', async () => {
    await exactOverWorkers(join(ROOT, 'specs/reference.gnet'), 'Reference', { trainSize: 225, validationSplit: 0.01, batch: 45 });
  });

  test('gnet train in float32 (SGD): the reference network on 2 and 3 workers, and two loopback nodes, end like one worker', async () => {
    const flags = ['--train-size', '225', '--validation-split', '0.01', '--epochs', '1', '--batch', '45', '--optimizer', 'sgd', '--lr', '0.05'];
    const reference = join(ROOT, 'specs/reference.gnet');
    const one = readCheckpoint(await trained(reference, [...flags, '--workers', '1']));
    for (const workers of [2, 3]) {
      const difference = maxWeightDifference(one, readCheckpoint(await trained(reference, [...flags, '--workers', String(workers)])));
      assert.ok(difference <= 1e-5, `${workers} workers: weights differ by ${difference}`);
    }
    const port = await freePort('127.0.0.1');
    const nodes = ['0', '1'].map((rank) => trained(CELLS_SPEC, ['--workers', '1', '--nodes', '2', '--node-rank', rank, '--master-addr', '127.0.0.1', '--master-port', String(port)]));
    const [single, node0] = await Promise.all([trained(CELLS_SPEC, ['--workers', '1']), ...nodes]);
    const difference = maxWeightDifference(readCheckpoint(single!), readCheckpoint(node0!));
    assert.ok(difference <= 1e-5, `2 nodes: weights differ by ${difference}`);
  });
}

test.run();
