import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { cellDir, cellState, cellsOf, startedKey } from '../../runtime/experiment/cells.js';
import { EXPERIMENT_ERRORS, experimentError } from '../../runtime/experiment/codes.js';
import { type ExperimentPlan, cellKey, planDifferences, readPlan, writePlan, PLAN_FILE } from '../../runtime/experiment/plan.js';
import { type Subset, drawSubset, recordSubset, trainCount } from '../../runtime/experiment/pool.js';
import { type ExperimentFlags, type ExperimentRequest, type TrainSize, requestFromFlags } from '../../runtime/experiment/request.js';
import type { CellJob, GnetCommand } from '../../runtime/experiment/run-cell.js';
import { runCells } from '../../runtime/experiment/runner.js';
import { rebuildResults, writeResults } from '../../runtime/experiment/write-results.js';
import { LOCK_FILE, lockRun } from '../../runtime/train/run-lock.js';
import { relativePath } from '../load.js';
import { type ChosenNetwork, buildPlan, chooseNetworks } from './experiment-networks.js';
import { flagArgs } from './experiment-flags.js';
import { withSection } from './experiment-section.js';
import { printGnetError } from './model.js';
import { STOP_SIGNALS } from './train.js';

export interface ExperimentOptions extends ExperimentFlags {
  readonly report?: string;
  /** The files' experiment section to run (default: the only one). */
  readonly experiment?: string;
}

/**
 * `gnet experiment FILE… --out DIR`: train every (network, training-set size, seed) as its own run,
 * evaluate each on the test split, and write the results table; `--report DIR` rebuilds the table.
 * Exit codes: 0 every cell complete, 1 bad input or a failed cell, 130/143/129 stopped by a signal.
 */
export async function experiment(files: readonly string[], options: ExperimentOptions): Promise<number> {
  try {
    if (options.report !== undefined) return report(options.report, options.metric);
    const spec = withSection(files, options);
    if (!spec) return 1;
    return await runExperiment(requestFromFlags(spec.files, spec.flags, spec.fromSpec));
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

function report(dir: string, metric?: string): number {
  const results = rebuildResults(resolve(dir), metric);
  const cells = results.networks.flatMap((n) => n.cells.flatMap((c) => c.runs));
  process.stderr.write(`gnet: results of ${cells.filter((r) => r.status === 'complete').length}/${cells.length} runs → ${relativePath(resolve(dir))}/results.md (also .csv, .json, .html)\n`);
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
    return await runGrid(request, out, plan, chosen, sizesByNetwork);
  } finally {
    lock.release();
  }
}

async function runGrid(request: ExperimentRequest, out: string, plan: ExperimentPlan, chosen: readonly ChosenNetwork[], sizesByNetwork: ReadonlyMap<string, ReadonlyMap<TrainSize, number>>): Promise<number> {
  const cells = cellsOf(plan);
  // One draw per pool, size and seed, so networks on the same data share the very same subset.
  const subsets = new Map<string, Subset>();
  const subsetOf = (net: ChosenNetwork, size: TrainSize, seed: number) => {
    const key = JSON.stringify([net.pool.source, net.pool.validationSplit, size, seed]);
    if (!subsets.has(key)) subsets.set(key, drawSubset(net.pool, size, seed, net.graph.name));
    return subsets.get(key)!;
  };
  const stop = new AbortController();
  const jobs: CellJob[] = [];
  let done = 0;
  const command: GnetCommand = { executable: process.execPath, args: [...process.execArgv, process.argv[1]!] };
  for (const cell of cells) {
    const dir = cellDir(out, cell);
    const key = cellKey(plan, cell.network);
    const state = cellState(dir);
    if (state.status === 'complete' && state.test.cellKey === key) {
      done++;
      continue;
    }
    // A run started under other settings (a changed plan continued with --resume) is not continued: it starts again.
    const startedAs = state.status === 'complete' || state.status === 'partial' ? startedKey(dir) : undefined;
    if (startedAs !== undefined && startedAs !== key) setAsideStale(dir);
    const net = chosen.find((c) => c.graph.name === cell.network)!;
    const placement = [...(request.workers === undefined ? [] : ['--workers', String(request.workers)]), ...(request.device === undefined ? [] : ['--device', request.device]), ...torchThreads(request)];
    jobs.push({
      cell,
      dir,
      file: net.file,
      trainCount: sizesByNetwork.get(cell.network)!.get(cell.size)!,
      trainArgs: [...flagArgs({ ...request.train, data: request.data }), '--backend', request.backend, ...placement],
      resumeArgs: ['--backend', request.backend, ...placement],
      evalArgs: ['--backend', request.backend],
      cellKey: key,
      subset: recordSubset(out, subsetOf(net, cell.size, cell.seed)),
      env: threadsPerJob(request),
      command,
      signal: stop.signal,
    });
  }
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

/**
 * With several runs at a time, torch's CPU threads are divided among them (torch reads
 * OMP_NUM_THREADS when it starts), so --jobs 4 on 16 cores gives each run 4 threads, not 16.
 */
/** Torch runs side by side share the CPUs this process may use: each worker gets its part as --threads. */
function torchThreads(request: ExperimentRequest): string[] {
  if (request.backend !== 'torch' || request.jobs <= 1) return [];
  return ['--threads', String(Math.max(1, Math.floor(availableParallelism() / (request.jobs * (request.workers ?? 1)))))];
}

function threadsPerJob(request: ExperimentRequest): NodeJS.ProcessEnv | undefined {
  if (request.jobs <= 1 || process.env.OMP_NUM_THREADS !== undefined) return undefined;
  return { OMP_NUM_THREADS: String(Math.max(1, Math.floor(availableParallelism() / request.jobs))) };
}

/** A complete run trained with other settings stays beside its cell as seedK.stale-N, and the cell runs again. */
function setAsideStale(dir: string): void {
  let n = 1;
  while (existsSync(`${dir}.stale-${n}`)) n++;
  renameSync(dir, `${dir}.stale-${n}`);
  process.stderr.write(`gnet: ${relativePath(dir)} was trained with other settings; kept as ${relativePath(dir)}.stale-${n}, training it again\n`);
}
