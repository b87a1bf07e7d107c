import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenedData } from '../../runtime/data/source.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import type { EvaluatedSplit, NamedArray, SplitOutcome } from '../../runtime/train/engine.js';
import type { TrainableModel } from '../../runtime/train/model.js';
import type { TaskInfo } from '../../runtime/train/targets.js';
import { startTorchEngine } from './engine.js';
import { placementFrom, prepareTorchJob } from './train-run.js';
import { probeTorchOnce } from './python.js';
import { torchError } from './codes.js';

export interface TorchEvaluation {
  readonly model: TrainableModel;
  readonly torchSource: string;
  readonly torchNetwork: string;
  readonly config: TrainConfig;
  readonly task: TaskInfo;
  readonly data: OpenedData;
  /** The trained weights, META order. */
  readonly weights: readonly NamedArray[];
  readonly split: EvaluatedSplit;
  readonly device?: string;
  /** CPU threads of the worker (default: the CPUs this process may use). */
  readonly threads?: number;
}

/**
 * `gnet eval --backend torch`: one torch worker evaluates a split of a trained run's weights, so a
 * run trained on torch is also tested on torch (the experiments' test pass). The job lives in a
 * temporary folder, removed afterwards; the run directory is only read.
 */
export async function evaluateOnTorch(e: TorchEvaluation): Promise<SplitOutcome> {
  const probe = probeTorchOnce();
  if (!probe.ok) throw torchError(probe.code, `${probe.reason}; ${probe.fix}`);
  const dir = mkdtempSync(join(tmpdir(), 'gnet-eval-'));
  try {
    const placement = placementFrom({ device: e.device ?? 'cpu', workers: 1, threads: e.threads }, {});
    const job = prepareTorchJob(dir, { model: e.model, config: e.config, task: e.task, data: e.data, target: { torchSource: e.torchSource, torchNetwork: e.torchNetwork, placement }, python: probe.info.python });
    const engine = await startTorchEngine(job, placement, e.config);
    try {
      await engine.start({ weights: e.weights, slots: [], learningRate: e.config.optimizer.lr });
      return await engine.evaluate(e.split);
    } finally {
      await engine.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
