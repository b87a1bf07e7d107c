import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cellDir, cellLink, cellState } from './cells.js';
import { type ExperimentPlan, cellKey } from './plan.js';
import type { TrainSize } from './request.js';
import type { SchedulerView } from './slurm-state.js';
import { meanStd } from './stats.js';

/**
 * The results of an experiment, read from its run directories alone (experiment.json, and each
 * cell's test.json or failed.json): what every results file is written from.
 */
export type RunStatus = 'complete' | 'failed' | 'running' | 'partial' | 'pending' | 'stale' | 'queued' | 'stopped';

export interface RunResult {
  readonly seed: number;
  readonly status: RunStatus;
  /** The table's metric on the test split (complete runs). */
  readonly value: number | null;
  /** The run directory relative to the experiment's. */
  readonly link: string;
  readonly trainSeconds: number | null;
  readonly evalSeconds: number | null;
  readonly testImages: number | null;
  readonly trainImages: number | null;
  /** Failed runs: the error's code and message; runs whose Slurm task was stopped: why (GN1023…). */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Runs submitted to Slurm, not complete: their task and, while queued, squeue's reason. */
  readonly slurm?: { readonly task: string; readonly reason: string };
}

export interface CellSummary {
  readonly size: TrainSize;
  /** Over the complete runs' values. */
  readonly mean: number | null;
  readonly std: number | null;
  /** Complete runs, of the plan's seeds. */
  readonly n: number;
  readonly failed: number;
  /** The best mean of its column (bold in the tables). */
  readonly best: boolean;
  readonly runs: readonly RunResult[];
}

export interface NetworkResults {
  readonly name: string;
  readonly file: string;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  readonly cells: readonly CellSummary[];
}

export interface ExperimentResults {
  readonly format: 'gnet-experiment-results';
  readonly version: 1;
  readonly metric: string;
  readonly trainSizes: readonly TrainSize[];
  readonly seeds: number;
  readonly backend: string;
  readonly networks: readonly NetworkResults[];
  readonly generatedAt: string;
}

export function collectResults(out: string, plan: ExperimentPlan, metric = plan.metric, scheduler?: SchedulerView): ExperimentResults {
  const networks = plan.networks.map((net) => {
    const cells = plan.trainSizes.map((size) => {
      const key = cellKey(plan, net.name, size);
      const runs = Array.from({ length: plan.seeds }, (_, i) => runResult(out, { network: net.name, size, seed: i + 1 }, metric, key, scheduler));
      const values = runs.filter((r) => r.status === 'complete' && r.value !== null).map((r) => r.value!);
      return { size, ...meanStd(values), n: values.length, failed: runs.filter((r) => r.status === 'failed').length, best: false, runs };
    });
    return { name: net.name, file: net.file, trainable: net.trainable, nonTrainable: net.nonTrainable, macs: net.macs, cells };
  });
  const marked = networks.map((net) => ({
    ...net,
    cells: net.cells.map((cell, column) => {
      const means = networks.map((n) => n.cells[column]!.mean).filter((m): m is number => m !== null);
      const best = lowerIsBetter(metric) ? Math.min(...means) : Math.max(...means);
      return { ...cell, best: cell.mean !== null && networks.length > 1 && cell.mean === best };
    }),
  }));
  return { format: 'gnet-experiment-results', version: 1, metric, trainSizes: plan.trainSizes, seeds: plan.seeds, backend: plan.backend, networks: marked, generatedAt: new Date().toISOString() };
}

export const lowerIsBetter = (metric: string): boolean => metric === 'loss';

function runResult(out: string, cell: { network: string; size: TrainSize; seed: number }, metric: string, key: string, scheduler?: SchedulerView): RunResult {
  const dir = cellDir(out, cell);
  const state = cellState(dir);
  const base = { seed: cell.seed, link: cellLink(cell), value: null, trainSeconds: null, evalSeconds: null, testImages: null, trainImages: null, error: null };
  // Slurm's word on a run not complete: queued or running beats an older failure; a stopped task explains a half-done run.
  const task = state.status === 'complete' ? undefined : scheduler?.tasks.get(dir);
  const slurm = task && { task: task.id, reason: task.reason };
  if (task && task.status !== 'ended') return { ...base, status: task.status, slurm };
  if (task?.end && state.status !== 'failed') return { ...base, status: 'stopped', error: { code: task.end.code, message: task.end.message }, slurm };
  switch (state.status) {
    case 'complete': {
      const t = state.test;
      if (t.cellKey !== key) return { ...base, status: 'stale' };
      const raw = metric === 'loss' ? t.loss : t.metrics[metric];
      return { ...base, status: 'complete', value: typeof raw === 'number' ? raw : null, trainSeconds: t.trainSeconds, evalSeconds: t.evalSeconds, testImages: t.images, trainImages: t.trainImages };
    }
    case 'failed':
      return { ...base, status: 'failed', error: { code: state.failure.code, message: state.failure.message } };
    case 'partial':
      return { ...base, status: existsSync(join(dir, 'train.lock')) ? 'running' : 'partial' };
    case 'pending':
      return { ...base, status: 'pending' };
  }
}
