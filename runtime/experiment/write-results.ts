import { join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import { type ExperimentResults, collectResults } from './collect.js';
import { type ExperimentPlan, readPlan } from './plan.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';
import { resultsCsv } from './results-csv.js';
import { resultsHtml } from './results-html.js';
import { resultsMarkdown } from './results-md.js';

export const RESULT_FILES = ['results.md', 'results.csv', 'results.json', 'results.html'] as const;

/** Writes DIR/results.{md,csv,json,html} from the run directories; returns what they hold. */
export function writeResults(out: string, plan: ExperimentPlan, metric?: string): ExperimentResults {
  const results = collectResults(out, plan, metric);
  const title = `Experiment: ${plan.networks.map((n) => n.name).join(', ')}`;
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(out, 'results.csv'), resultsCsv(results));
  writeFileAtomic(join(out, 'results.md'), resultsMarkdown(results, title));
  writeFileAtomic(join(out, 'results.html'), resultsHtml(results, title));
  return results;
}

/** `gnet experiment --report DIR`: the results rebuilt from DIR alone. */
export function rebuildResults(out: string, metric?: string): ExperimentResults {
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
