import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { cellName } from '../../runtime/experiment/cells.js';
import { EXPERIMENT_ERRORS, experimentError } from '../../runtime/experiment/codes.js';
import { type ExperimentPlan, planDifferences, readPlan, writePlan, PLAN_FILE } from '../../runtime/experiment/plan.js';
import { trainCount } from '../../runtime/experiment/pool.js';
import { type ExperimentFlags, type ExperimentRequest, type TrainSize, requestFromFlags } from '../../runtime/experiment/request.js';
import { runCells } from '../../runtime/experiment/runner.js';
import { busyCells, schedulerView } from '../../runtime/experiment/slurm-state.js';
import { runArrayTask } from '../../runtime/experiment/slurm-task.js';
import { rebuildResults, writeResults } from '../../runtime/experiment/write-results.js';
import { SLURM_ERRORS, slurmError } from '../../runtime/slurm/codes.js';
import { LOCK_FILE, lockRun } from '../../runtime/train/run-lock.js';
import { relativePath } from '../load.js';
import { gridJobs, thisGnet } from './experiment-jobs.js';
import { type ChosenNetwork, buildPlan, chooseNetworks } from './experiment-networks.js';
import { submitGrid } from './experiment-slurm.js';
import { withSection } from './experiment-section.js';
import { printGnetError } from './model.js';
import { STOP_SIGNALS } from './train.js';

export interface ExperimentOptions extends ExperimentFlags {
  readonly report?: string;
  /** The files' experiment section to run (default: the only one). */
  readonly experiment?: string;
  /** One task of a submitted job array (the script gnet submits passes it). */
  readonly slurmTask?: string;
}

/**
 * `gnet experiment FILE… --out DIR`: train every (network, training-set size, seed) as its own run,
 * evaluate each on the test split, and write the results table; `--report DIR` rebuilds the table.
 * Exit codes: 0 every cell complete, 1 bad input or a failed cell, 130/143/129 stopped by a signal.
 */
export async function experiment(files: readonly string[], options: ExperimentOptions): Promise<number> {
  try {
    if (options.slurmTask !== undefined) return await runArrayTask(resolve(options.slurmTask), thisGnet(), (line) => process.stderr.write(`gnet: ${line}\n`));
    if (options.report !== undefined) return report(options.report, options.metric);
    const spec = withSection(files, options);
    if (!spec) return 1;
    return await runExperiment(requestFromFlags(spec.files, spec.flags, spec.fromSpec));
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

/** Rebuilds the results; for a grid in Slurm, says how many runs are queued or running and why any task stopped. */
function report(dir: string, metric?: string): number {
  const results = rebuildResults(resolve(dir), metric);
  const runs = results.networks.flatMap((n) => n.cells.flatMap((c) => c.runs.map((r) => ({ ...r, name: cellName({ network: n.name, size: c.size, seed: r.seed }) }))));
  const count = (status: string) => runs.filter((r) => r.status === status).length;
  const slurm = ['queued', 'running'].map((s) => (count(s) ? `, ${count(s)} ${s}` : '')).join('');
  if (results.slurmNote) process.stderr.write(`gnet: could not ask Slurm where its tasks stand (${results.slurmNote}); the results rest on the runs' files alone\n`);
  for (const r of runs.filter((r) => r.status === 'stopped')) process.stderr.write(`gnet: ${r.name} (${r.link}): ${r.error!.code} ${r.error!.message}\n`);
  process.stderr.write(`gnet: results of ${count('complete')}/${runs.length} runs${slurm} → ${relativePath(resolve(dir))}/results.md (also .csv, .json, .html)\n`);
  return 0;
}

async function runExperiment(request: ExperimentRequest): Promise<number> {
  if (request.files.length === 0) throw experimentError(EXPERIMENT_ERRORS.badSetup, 'no spec files: pass the .gnet files whose networks to compare, e.g. gnet experiment a.gnet b.gnet --out exp');
  const out = resolve(request.out);
  const chosen = await chooseNetworks(request);
  if (!chosen) return 1;
  const plan = buildPlan(request, chosen);
  const sizesByNetwork = new Map(chosen.map((c) => [c.graph.name, new Map(plan.trainSizes.map((s) => [s, trainCount(c.pool, s, c.graph.name)]))]));
  const previous = checkDirectory(out, plan, request.resume);
  // One experiment process per directory: two would train the same runs.
  const lock = lockRun(out, undefined, (message) => process.stderr.write(`gnet: ${message}\n`));
  try {
    writePlan(out, previous ? { ...plan, createdAt: previous.createdAt } : plan);
    const view = schedulerView(out);
    // Unsure which tasks still hold runs, a new array could train them twice.
    if (request.slurm && view?.unavailable) throw view.unavailable;
    const busy = busyCells(view);
    if (request.slurm) return await submitGrid(request, out, plan, gridJobs({ request, out, plan, chosen, sizesByNetwork, busy }), () => lock.release());
    if (busy.size > 0) throw stillInSlurm(out, busy);
    return await runGrid(request, out, plan, chosen, sizesByNetwork);
  } finally {
    lock.release();
  }
}

async function runGrid(request: ExperimentRequest, out: string, plan: ExperimentPlan, chosen: readonly ChosenNetwork[], sizesByNetwork: ReadonlyMap<string, ReadonlyMap<TrainSize, number>>): Promise<number> {
  const stop = new AbortController();
  const { cells, done, jobs } = gridJobs({ request, out, plan, chosen, sizesByNetwork, signal: stop.signal });
  const parallel = request.backend === 'webgpu' ? 1 : request.jobs;
  if (parallel < request.jobs) process.stderr.write(`gnet: --jobs ${request.jobs} lowered to 1: the webgpu backend trains one run at a time on its device\n`);
  process.stderr.write(`gnet: experiment ${relativePath(out)}: ${plan.networks.length} network(s) × ${plan.trainSizes.length} size(s) × ${plan.seeds} seed(s) = ${cells.length} runs; ${done} complete, ${jobs.length} to run, ${parallel} at a time\n`);

  let received: keyof typeof STOP_SIGNALS | undefined;
  const handlers = (Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[]).map((signal) => [signal, () => {
    received = signal;
    // A second signal takes the default action and ends the experiment at once; the runs, told once, still save their checkpoints.
    for (const [name, handler] of handlers) process.off(name, handler);
    process.stderr.write(`\ngnet: ${signal}: stopping the running cells after their current step (they save a checkpoint); rerun the same command to continue\n`);
    stop.abort();
  }] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  writeResults(out, plan);
  let summary;
  try {
    const onFinished = () => writeResults(out, plan);
    summary = await runCells(jobs, { parallel, total: cells.length, alreadyDone: done, metric: plan.metric, signal: stop.signal, log: (line) => process.stderr.write(`gnet: ${line}\n`), onFinished });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  writeResults(out, plan);
  const where = relativePath(out);
  process.stderr.write(`gnet: results → ${where}/results.md (also .csv, .json, .html)\n`);
  if (received) {
    process.stderr.write(`gnet: stopped; continue with the same command\n`);
    return STOP_SIGNALS[received];
  }
  if (summary.failed > 0) {
    process.stderr.write(`gnet: ${summary.failed} run(s) failed (shown as failed in the results; rerunning the command retries them)\n`);
    return 1;
  }
  return 0;
}

/** Runs a Slurm task still holds are not trained here as well. */
function stillInSlurm(out: string, busy: ReadonlySet<string>) {
  const where = relativePath(out);
  const some = [...busy].slice(0, 3).map((dir) => relativePath(dir)).join(', ');
  return slurmError(SLURM_ERRORS.stillQueued, `${busy.size} run(s) of ${where} are queued or running in Slurm (${some}${busy.size > 3 ? ', …' : ''}); wait for them (gnet experiment --report ${where}), or cancel them with scancel, then run this again`);
}

/** The plan already in DIR: the same one continues; another is refused unless --resume. */
function checkDirectory(out: string, plan: ExperimentPlan, resume: boolean): ExperimentPlan | undefined {
  const previous = readPlan(out);
  if (!previous) {
    if (existsSync(out) && readdirSync(out).some((name) => name !== LOCK_FILE)) {
      throw experimentError(EXPERIMENT_ERRORS.otherExperiment, `${out} is not empty and holds no ${PLAN_FILE}; choose a new or empty --out directory`);
    }
    mkdirSync(out, { recursive: true });
    return undefined;
  }
  const differences = planDifferences(previous, plan);
  if (differences.length > 0 && !resume) {
    throw experimentError(EXPERIMENT_ERRORS.otherExperiment, `${out} holds a different experiment (${differences.join('; ')}); pass --resume to continue it with the new plan (runs that still belong to it are kept), or choose another --out`);
  }
  if (differences.length > 0) process.stderr.write(`gnet: continuing ${relativePath(out)} with a changed plan: ${differences.join('; ')}\n`);
  return previous;
}
