import { existsSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type Cell, cellDir, cellState, cellsOf, startedKey } from '../../runtime/experiment/cells.js';
import { type ExperimentPlan, cellKey, planTrainOfSize } from '../../runtime/experiment/plan.js';
import { type Subset, drawSubset, recordSubset } from '../../runtime/experiment/pool.js';
import type { ExperimentRequest, TrainSize } from '../../runtime/experiment/request.js';
import type { CellJob, GnetCommand } from '../../runtime/experiment/run-cell.js';
import { relativePath } from '../load.js';
import type { ChosenNetwork } from './experiment-networks.js';
import { flagArgs } from './experiment-flags.js';

/**
 * The cells of a plan still to train, each as the job that trains it: the same `gnet train` and
 * `gnet eval` command lines whether the cell runs here (runner.ts) or as a Slurm array task.
 */
export interface GridJobs {
  readonly cells: readonly Cell[];
  /** Complete cells, kept. */
  readonly done: number;
  readonly jobs: CellJob[];
  /** Cells left alone because a Slurm task is queued or running for them. */
  readonly busy: number;
}

export interface JobSettings {
  readonly request: ExperimentRequest;
  readonly out: string;
  readonly plan: ExperimentPlan;
  readonly chosen: readonly ChosenNetwork[];
  readonly sizesByNetwork: ReadonlyMap<string, ReadonlyMap<TrainSize, number>>;
  readonly signal?: AbortSignal;
  /** Cell directories a Slurm task still holds. */
  readonly busy?: ReadonlySet<string>;
}

/** How this process starts gnet: node, its flags (a loader in tests) and the CLI's entry file. */
export const thisGnet = (): GnetCommand => ({ executable: process.execPath, args: [...process.execArgv, process.argv[1]!] });

export function gridJobs(s: JobSettings): GridJobs {
  const { request, out, plan } = s;
  const cells = cellsOf(plan);
  // One draw per pool, size and seed, so networks on the same data share the very same subset.
  const subsets = new Map<string, Subset>();
  const subsetOf = (net: ChosenNetwork, size: TrainSize, seed: number) => {
    const key = JSON.stringify([net.pool.source, net.pool.validationSplit, size, seed]);
    if (!subsets.has(key)) subsets.set(key, drawSubset(net.pool, size, seed, net.graph.name));
    return subsets.get(key)!;
  };
  const jobs: CellJob[] = [];
  let done = 0;
  let busy = 0;
  const command = thisGnet();
  const placement = [...(request.workers === undefined ? [] : ['--workers', String(request.workers)]), ...(request.device === undefined ? [] : ['--device', request.device]), ...torchThreads(request)];
  for (const cell of cells) {
    const dir = cellDir(out, cell);
    const key = cellKey(plan, cell.network, cell.size);
    const state = cellState(dir);
    if (state.status === 'complete' && state.test.cellKey === key) {
      done++;
      continue;
    }
    if (s.busy?.has(dir)) {
      busy++;
      continue;
    }
    // A run started under other settings (a changed plan continued with --resume) is not continued: it starts again.
    const startedAs = state.status === 'complete' || state.status === 'partial' ? startedKey(dir) : undefined;
    if (startedAs !== undefined && startedAs !== key) setAsideStale(dir);
    const net = s.chosen.find((c) => c.graph.name === cell.network)!;
    jobs.push({
      cell,
      dir,
      file: net.file,
      trainCount: s.sizesByNetwork.get(cell.network)!.get(cell.size)!,
      trainArgs: [...flagArgs({ ...planTrainOfSize(plan, cell.size), data: request.data }), '--backend', request.backend, ...placement],
      resumeArgs: ['--backend', request.backend, ...placement],
      evalArgs: [...(request.device === undefined ? [] : ['--device', request.device]), ...(request.threads === undefined ? [] : ['--threads', String(request.threads)])],
      cellKey: key,
      subset: recordSubset(out, subsetOf(net, cell.size, cell.seed)),
      env: threadsPerJob(request),
      command,
      signal: s.signal,
    });
  }
  return { cells, done, jobs, busy };
}

/** Torch runs side by side share the CPUs this process may use: each worker gets its part as --threads, or --threads as given. */
function torchThreads(request: ExperimentRequest): string[] {
  if (request.backend !== 'torch') return [];
  if (request.threads !== undefined) return ['--threads', String(request.threads)];
  if (request.jobs <= 1) return [];
  return ['--threads', String(Math.max(1, Math.floor(availableParallelism() / (request.jobs * (request.workers ?? 1)))))];
}

/**
 * With several runs at a time, torch's CPU threads are divided among them (torch reads
 * OMP_NUM_THREADS when it starts), so --jobs 4 on 16 cores gives each run 4 threads, not 16.
 */
function threadsPerJob(request: ExperimentRequest): NodeJS.ProcessEnv | undefined {
  if (process.env.OMP_NUM_THREADS !== undefined) return undefined;
  if (request.threads !== undefined) return { OMP_NUM_THREADS: String(request.threads) };
  if (request.jobs <= 1) return undefined;
  return { OMP_NUM_THREADS: String(Math.max(1, Math.floor(availableParallelism() / request.jobs))) };
}

/** A complete run trained with other settings stays beside its cell as seedK.stale-N, and the cell runs again. */
function setAsideStale(dir: string): void {
  let n = 1;
  while (existsSync(`${dir}.stale-${n}`)) n++;
  renameSync(dir, `${dir}.stale-${n}`);
  process.stderr.write(`gnet: ${relativePath(dir)} was trained with other settings; kept as ${relativePath(dir)}.stale-${n}, training it again\n`);
}
