import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { OpenedData } from '../../runtime/data/source.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import { type FileSystem, NODE_FS, writeFileAtomic } from '../../runtime/train/files.js';
import type { TrainableModel } from '../../runtime/train/model.js';
import { runPaths } from '../../runtime/train/run-dir.js';
import { type EngineFactory, type TrainOutcome, type TrainRun, openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask, type TaskInfo } from '../../runtime/train/targets.js';
import { writeTorchPackage } from '../../runtime/torch/package.js';
import { TORCH_ERRORS, torchError } from './codes.js';
import { writeDataFile } from './data-file.js';
import { type TorchJob, type TorchPlacement, startTorchEngine, threadsPerWorker } from './engine.js';
import { writeServeEntry } from './entry.js';
import { checkPortFree, followWorkers } from './launch.js';
import { probeTorchOnce } from './python.js';
import { placementUnderSrun } from './slurm-placement.js';

export type { TorchPlacement } from './engine.js';

/** The generated PyTorch module of the run's network and where its workers run. */
export interface TorchTarget {
  /** The generated PyTorch module's source (generateTorch). */
  readonly torchSource: string;
  readonly torchNetwork: string;
  readonly placement: TorchPlacement;
}

/**
 * `gnet train --backend torch`: the same run as on any engine (runTraining and its driver), with the
 * steps taken by torch workers. RUNDIR/torch/ holds their job: the generated module, the gnet_torch
 * package, the data file, job.json (relative paths) and each worker's log. Placement is checked, and
 * a taken port refused, before the run directory exists.
 */
export async function torchEngineFactory(model: TrainableModel, config: TrainConfig, target: TorchTarget, notice: (message: string) => void = () => {}): Promise<EngineFactory> {
  const python = checkedPython(target.placement);
  const { placement } = target;
  if (placement.masterPort !== undefined && placement.nodeRank === 0) await checkPortFree(placement.masterAddr, placement.masterPort);
  warnOversubscribed(placement, notice);
  return async ({ paths, data, task }) => {
    const job = prepareTorchJob(join(paths.root, 'torch'), { model, config, task, data, target, python });
    return startTorchEngine(job, placement, config);
  };
}

/**
 * Machines other than the first of a multi-node run: the same job, workers that follow rank 0's
 * driver on machine 0; nothing of the run directory but RUNDIR/torch/ is written here.
 */
export async function followTorchRun(run: TrainRun, target: TorchTarget): Promise<TrainOutcome> {
  const python = checkedPython(target.placement);
  const task = describeTask(run.model.module.meta, run.model.info.outputs, run.config.loss);
  const data = openTrainingData(run.config, task);
  const paths = runPaths(run.out);
  const job = prepareTorchJob(join(paths.root, 'torch'), { model: run.model, config: run.config, task, data, target, python });
  const { placement } = target;
  run.notice?.(`node ${placement.nodeRank} of ${placement.nodes}: ${placement.workers} worker(s) follow the driver on ${placement.masterAddr}`);
  const failure = await followWorkers({ python: job.python, entry: job.entry, job: job.jobFile, workers: placement.workers, nodes: placement.nodes, nodeRank: placement.nodeRank, masterAddr: placement.masterAddr, masterPort: placement.masterPort, logDir: job.dir, env: placement.env });
  if (failure) throw failure;
  return { status: 'completed', earlyStop: null, paths, task, epochsDone: run.config.epochs, step: 0 };
}

function checkedPython(placement: TorchPlacement): string {
  const probe = probeTorchOnce();
  if (!probe.ok) throw torchError(probe.code, `${probe.reason}; ${probe.fix}`);
  checkPlacement(placement, probe.info.cuda.length);
  return probe.info.python;
}

interface JobParts {
  readonly model: TrainableModel;
  readonly config: TrainConfig;
  readonly task: TaskInfo;
  readonly data: OpenedData;
  readonly target: TorchTarget;
  readonly python: string;
}

/** Writes the job folder the workers run from; every path in job.json is relative to it. `extra` joins job.json (a travelling job's run record). */
export function prepareTorchJob(dir: string, parts: JobParts, io: FileSystem = NODE_FS, extra: Record<string, unknown> = {}): TorchJob {
  const { config, task, data, target } = parts;
  mkdirSync(dir, { recursive: true });
  writeTorchPackage(dir);
  const entry = writeServeEntry(dir);
  const moduleFile = `${target.torchNetwork}.py`;
  writeFileAtomic(join(dir, moduleFile), target.torchSource, io);
  writeDataFile(join(dir, 'data.bin'), data, config, io);
  const job = {
    format: 'gnet-torch-job',
    version: 2,
    module: moduleFile,
    data: 'data.bin',
    config,
    task,
    device: target.placement.device,
    threads: threadsPerWorker(target.placement),
    ...extra,
  };
  const jobFile = join(dir, 'job.json');
  writeFileAtomic(jobFile, JSON.stringify(job, null, 1), io);
  return { python: parts.python, dir, jobFile, entry };
}

function checkPlacement(p: TorchPlacement, gpus: number): void {
  if (!/^(cpu|cuda(:\d+)?)$/.test(p.device)) throw torchError(TORCH_ERRORS.badLaunch, `unknown --device '${p.device}'; use cpu, cuda or cuda:N`);
  if (p.device !== 'cpu' && gpus === 0) {
    throw torchError(TORCH_ERRORS.noCuda, `--device ${p.device} asks for CUDA, but torch sees no CUDA device here; install the NVIDIA driver and a CUDA build of torch (pip install torch), or train with --device cpu`);
  }
  const first = p.device.startsWith('cuda:') ? Number(p.device.slice(5)) : 0;
  if (p.device !== 'cpu' && first + p.workers > gpus) {
    throw torchError(TORCH_ERRORS.badLaunch, `--device ${p.device} with --workers ${p.workers} needs GPUs ${first}..${first + p.workers - 1}, but ${gpus} are visible; lower --workers (one worker per GPU)`);
  }
  if (p.threads !== undefined && (!Number.isInteger(p.threads) || p.threads < 1)) throw torchError(TORCH_ERRORS.badLaunch, `--threads ${p.threads} is not a whole number ≥ 1`);
  if (p.nodeRank < 0 || p.nodeRank >= p.nodes) throw torchError(TORCH_ERRORS.badLaunch, `node rank ${p.nodeRank} is not below the ${p.nodes} nodes; give each machine a NODE_RANK from 0 to ${p.nodes - 1}`);
  if (p.nodes > 1 && p.masterPort === undefined) throw torchError(TORCH_ERRORS.badLaunch, `a run over ${p.nodes} nodes needs the same --master-addr and --master-port (or MASTER_ADDR, MASTER_PORT) on every node`);
}

/** Workers × threads beyond the CPUs this process may use only slow training down: say so, with what to use. */
function warnOversubscribed(p: TorchPlacement, notice: (message: string) => void, cpus = availableParallelism()): void {
  if (p.device !== 'cpu') return;
  const threads = threadsPerWorker(p, cpus);
  if (p.workers * threads <= cpus) return;
  const fit = Math.max(1, Math.floor(cpus / threads));
  notice(`warning[${TORCH_ERRORS.oversubscribed}]: ${p.workers} worker${p.workers === 1 ? '' : 's'} × ${threads} thread${threads === 1 ? '' : 's'} exceed the ${cpus} CPU${cpus === 1 ? '' : 's'} this process may use, so they wait on each other and train slower; use --workers ${fit}${p.threads !== undefined ? ' or fewer --threads' : ''}`);
}

/** Flags first, then an srun step's SLURM_* variables, then those torchrun users know (NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT). */
export function placementFrom(
  flags: { readonly device?: string; readonly workers?: number; readonly threads?: number; readonly nodes?: number; readonly nodeRank?: number; readonly masterAddr?: string; readonly masterPort?: number },
  env: NodeJS.ProcessEnv,
): TorchPlacement {
  const underSrun = placementUnderSrun(flags, env);
  if (underSrun) return underSrun;
  const number = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw torchError(TORCH_ERRORS.badLaunch, `${name}=${text} is not a whole number; fix or unset it`);
    return value;
  };
  return {
    device: flags.device ?? 'cpu',
    workers: flags.workers ?? 1,
    threads: flags.threads,
    nodes: flags.nodes ?? number('NNODES') ?? 1,
    nodeRank: flags.nodeRank ?? number('NODE_RANK') ?? 0,
    masterAddr: flags.masterAddr ?? env.MASTER_ADDR ?? '127.0.0.1',
    masterPort: flags.masterPort ?? number('MASTER_PORT'),
  };
}

