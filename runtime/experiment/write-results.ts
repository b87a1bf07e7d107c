import { join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import { cellDir, cellState, cellsOf } from './cells.js';
import { type ExperimentResults, collectResults } from './collect.js';
import { type ExperimentPlan, readPlan } from './plan.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';
import { resultsCsv } from './results-csv.js';
import { resultsHtml } from './results-html.js';
import { resultsMarkdown } from './results-md.js';
import { schedulerView } from './slurm-state.js';

export const RESULT_FILES = ['results.md', 'results.csv', 'results.json', 'results.html'] as const;

/**
 * Writes DIR/results.{md,csv,json,html} from the run directories (and, for runs submitted to Slurm,
 * what squeue and sacct say of their tasks); returns what they hold.
 */
export function writeResults(out: string, plan: ExperimentPlan, metric?: string): ExperimentResults & { readonly slurmNote?: string } {
  const scheduler = schedulerView(out);
  const results = collectResults(out, plan, metric, scheduler);
  const title = `Experiment: ${plan.networks.map((n) => n.name).join(', ')}`;
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(out, 'results.csv'), resultsCsv(results));
  writeFileAtomic(join(out, 'results.md'), resultsMarkdown(results, title));
  writeFileAtomic(join(out, 'results.html'), resultsHtml(results, title));
  return { ...results, slurmNote: scheduler?.note };
}

/**
 * writeResults for processes that finish runs side by side (Slurm tasks): written again while a run
 * finished in the meantime, so the last writer's tables hold every run finished before it wrote.
 */
export function writeResultsSettled(out: string, plan: ExperimentPlan): void {
  const finished = () => cellsOf(plan).map((c) => cellState(cellDir(out, c)).status).map((s) => (s === 'complete' || s === 'failed' ? s : '-')).join();
  for (let round = 0; round < 5; round++) {
    const before = finished();
    writeResults(out, plan);
    if (finished() === before) return;
  }
}

/** `gnet experiment --report DIR`: the results rebuilt from DIR alone. */
export function rebuildResults(out: string, metric?: string): ReturnType<typeof writeResults> {
  const plan = readPlan(out);
  if (!plan) throw experimentError(EXPERIMENT_ERRORS.notAnExperiment, `${out} holds no experiment (experiment.json is missing); pass the --out directory of a \`gnet experiment\` run`);
  if (metric !== undefined && metric !== 'loss') {
    const without = plan.networks.filter((n) => !n.metrics.includes(metric));
    if (metric === 'iou' || without.length > 0) {
      const computed = ['loss', ...plan.networks[0]!.metrics.filter((m) => m !== 'iou')].join(', ');
      throw experimentError(EXPERIMENT_ERRORS.badSetup, `--metric ${metric}: the runs of ${without.map((n) => n.name).join(', ') || 'this experiment'} computed no single ${metric} on the test split; choose one of ${computed}`);
    }
  }
  return writeResults(out, plan, metric);
}
