/**
 * `gnet train` on WebGPU: the real training loop (runTraining) of a tiny gauss segmenter, which
 * reads every tensor asynchronously. The cpu run of the same spec, after WebGPU is released (so the
 * gauss constants cached on the released device must not be reused), is the reference.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../backends/cpu.js';
import { webgpuBackend } from '../../backends/webgpu/index.js';
import { paramTable, snapshotOf } from '../../cli/commands/model.js';
import { readLog } from '../../runtime/train/log.js';
import { manifestName } from '../../runtime/train/checkpoint.js';
import { runTraining } from '../../runtime/train/run-training.js';
import { prepare, tempDir } from '../train/fixtures.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();

const TINY_SPEC = `
network TinyCells {
  input image: 16 x 16 x 1
  a = image -> gauss(3, size=3, order=1, bases=1) -> relu
  output mask = a -> conv(2, size=1) -> softmax
  train { data = "synthetic-cells:16" loss = crossentropy optimizer = adam(lr = 0.05) epochs = 3 batch = 6 validation_split = 0.25 }
}`;

async function train(backend: string) {
  const { spec, config } = await prepare(TINY_SPEC);
  const dir = join(tempDir(`train-${backend}`), 'run');
  const record = { format: 'gnet-run', version: 1, createdAt: 'now', spec: { file: '/specs/tiny.gnet', network: 'TinyCells', params: {} }, backend, train: config } as const;
  const outcome = await runTraining({ model: spec.model, config, out: dir, resume: false, record, sources: snapshotOf('/specs/tiny.gnet', spec.sources), moduleSource: spec.source, params: paramTable(spec.analysis) });
  return { outcome, dir, losses: readLog(join(dir, 'log.jsonl')).map((epoch) => epoch.loss) };
}

gpu('the training loop runs on WebGPU, matches cpu, and the loss falls', async () => {
  await webgpuBackend.init();
  const gpuRun = await train('webgpu').finally(() => webgpuBackend.release());
  await cpuBackend.init();
  const cpuRun = await train('cpu').finally(() => cpuBackend.release());
  assert.is(gpuRun.outcome.status, 'completed');
  for (const file of [`checkpoint/${manifestName(gpuRun.outcome.step)}`, 'model/model.json', 'report.html']) assert.ok(existsSync(join(gpuRun.dir, file)), file);
  assert.is(gpuRun.losses.length, 3);
  assert.ok(gpuRun.losses.every(Number.isFinite), `losses ${gpuRun.losses}`);
  gpuRun.losses.forEach((loss, epoch) => assert.ok(Math.abs(loss - cpuRun.losses[epoch]!) < 1e-3, `epoch ${epoch + 1}: webgpu ${loss}, cpu ${cpuRun.losses[epoch]}`));
  assert.ok(gpuRun.losses.at(-1)! < gpuRun.losses[0]!, `losses ${gpuRun.losses}`);
});

test.run();
