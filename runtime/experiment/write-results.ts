import { join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import { type ExperimentResults, collectResults } from './collect.js';
import { type ExperimentPlan, readPlan } from './plan.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';
import { resultsMarkdown } from './results-md.js';

/** Writes DIR/results.md and results.json from the run directories; returns what they hold. */
export function writeResults(out: string, plan: ExperimentPlan, metric?: string): ExperimentResults {
  const results = collectResults(out, plan, metric);
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(out, 'results.md'), resultsMarkdown(results));
  return results;
}

/** `gnet experiment --report DIR`: the results rebuilt from DIR alone. */
export function rebuildResults(out: string, metric?: string): ExperimentResults {
  const plan = readPlan(out);
  if (!plan) throw experimentError(EXPERIMENT_ERRORS.notAnExperiment, `${out} holds no experiment (experiment.json is missing); pass the --out directory of a \`gnet experiment\` run`);
  return writeResults(out, plan, metric);
}
