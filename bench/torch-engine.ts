/**
 * The torch engine as `gnet train --backend torch` drives it: worker processes taking real batches
 * (gnet's sample order and windows, read from data.bin by the prefetching loader) one step per
 * request, at the default threads (the CPUs this process may use) and at one thread; and the batch
 * assembly itself, the loader's vectorised gather against the per-sample loop it replaced.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TorchJob, type TorchPlacement, startTorchEngine, threadsPerWorker } from '../backends/torch/engine.js';
import { probeTorchOnce } from '../backends/torch/python.js';
import { placementFrom, prepareTorchJob } from '../backends/torch/train-run.js';
import { compileForTraining } from '../cli/commands/model.js';
import { fileHost } from '../cli/host.js';
import { generateTorch } from '../compiler/codegen/index.js';
import { resolveConfig, type TrainConfig, type TrainFlags } from '../runtime/train/config.js';
import { openTrainingData } from '../runtime/train/run-training.js';
import { describeTask } from '../runtime/train/targets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface EngineFigures {
  readonly network: string;
  readonly batch: number;
  readonly threads: number;
  readonly msPerStep: number;
  readonly imagesPerSecond: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/** A torch job for `spec` in a temporary folder (removed after `work`); null without torch. */
async function withJob<T>(spec: string, network: string | undefined, flags: TrainFlags, threads: number | undefined, work: (job: TorchJob, config: TrainConfig, placement: TorchPlacement) => Promise<T>): Promise<T | null> {
  const probe = probeTorchOnce();
  if (!probe.ok) return null;
  const outcome = await compileForTraining({ entry: spec, network }, fileHost);
  if (!outcome.ok) throw new Error(`${spec} does not compile`);
  const { spec: compiled } = outcome;
  const meta = compiled.model.module.meta;
  const config = resolveConfig(meta.training as never, flags, meta.network);
  const task = describeTask(meta, compiled.model.info.outputs, config.loss);
  const data = openTrainingData(config, task);
  const torch = generateTorch(compiled.graph, compiled.analysis, { sources: compiled.sources });
  const placement = placementFrom({ threads }, {});
  const dir = mkdtempSync(join(tmpdir(), 'gnet-bench-engine-'));
  try {
    const job = prepareTorchJob(dir, { model: compiled.model, config, task, data, target: { torchSource: torch.source, torchNetwork: torch.network, placement }, python: probe.info.python });
    return await work(job, config, placement);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ms per step of the torch engine on `spec` with real data, one step per request, after two warm-up steps. */
export function benchTorchEngine(spec: string, network: string | undefined, flags: TrainFlags, threads: number | undefined, steps = 6): Promise<EngineFigures | null> {
  return withJob(spec, network, flags, threads, async (job, config, placement) => {
    const engine = await startTorchEngine(job, placement, config);
    try {
      await engine.start(null);
      const times: number[] = [];
      for (let index = 0; index < steps + 2; index++) {
        const began = performance.now();
        await engine.steps([{ epoch: 0, index, step: index, lr: config.optimizer.lr }]);
        if (index >= 2) times.push(performance.now() - began);
      }
      const ms = median(times);
      return { network: networkOf(spec, network), batch: config.batch, threads: threadsPerWorker(placement), msPerStep: ms, imagesPerSecond: (config.batch * 1000) / ms };
    } finally {
      await engine.close();
    }
  });
}

const networkOf = (spec: string, network: string | undefined) => network ?? spec.split('/').pop()!.replace('.gnet', '');

/** Batch assembly of the loader (ms per batch): the vectorised gather, and the per-sample loop before it. */
export function benchBatchAssembly(spec: string, network: string | undefined, flags: TrainFlags): Promise<{ vectorised: number; perSample: number } | null> {
  return withJob(spec, network, flags, 1, async (job, config) => {
    const script = fileURLToPath(new URL('./torch_batches.py', import.meta.url));
    const result = spawnSync(job.python, [script, join(job.dir, 'data.bin'), String(config.batch)], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: job.dir } });
    if (result.status !== 0) throw new Error(`batch bench failed: ${result.stderr.trim().split('\n').at(-1)}`);
    return JSON.parse(result.stdout) as { vectorised: number; perSample: number };
  });
}

export const defaultThreads = (): number => threadsPerWorker({ workers: 1 }, availableParallelism());
