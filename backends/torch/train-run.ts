import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenedData } from '../../runtime/data/source.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import { type FileSystem, NODE_FS, writeFileAtomic } from '../../runtime/train/files.js';
import type { TrainableModel } from '../../runtime/train/model.js';
import { type EngineFactory, type TrainRun, openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask, type TaskInfo } from '../../runtime/train/targets.js';
import { writeTorchPackage } from '../../runtime/torch/package.js';
import { GnetError } from '../../runtime/errors.js';
import { TORCH_ERRORS, torchError } from './codes.js';
import { writeDataFile } from './data-file.js';
import { type TorchJob, type TorchPlacement, drivesRun, launchPlan, startTorchEngine, threadsPerWorker, workerRanks } from './engine.js';
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
  if (placement.masterPort !== undefined && drivesRun(placement)) await checkPortFree(placement.masterAddr, placement.masterPort);
  warnOversubscribed(placement, notice);
  return async ({ paths, data, task }) => {
    const job = prepareTorchJob(join(paths.root, 'torch'), { model, config, task, data, target, python });
    return startTorchEngine(job, placement, config);
  };
}

/**
 * A gnet process that does not start rank 0 (another machine of a multi-node run, or another srun
 * task): its workers follow rank 0's driver, and it never writes the run directory, which rank 0's
 * process alone owns (on a shared file system every process sees the same one). It prepares the very
 * job rank 0 prepares, from the same spec, flags and data, in a folder of its own on this machine's
 * temporary file system (TMPDIR), removed when its workers are done; kept, and named, if they failed.
 */
export async function followTorchRun(run: Pick<TrainRun, 'model' | 'config' | 'notice'>, target: TorchTarget): Promise<void> {
  const python = checkedPython(target.placement);
  const task = describeTask(run.model.module.meta, run.model.info.outputs, run.config.loss);
  const data = openTrainingData(run.config, task);
  const { placement } = target;
  const ranks = workerRanks(placement);
  const dir = mkdtempSync(join(tmpdir(), `gnet-torch-rank-${ranks.first}-`));
  const job = prepareTorchJob(dir, { model: run.model, config: run.config, task, data, target, python });
  const which = ranks.local.length === 1 ? `worker rank ${ranks.first}` : `worker ranks ${ranks.first}-${ranks.first + ranks.local.length - 1}`;
  run.notice?.(`${which} of ${ranks.world} (node ${placement.nodeRank} of ${placement.nodes}) follow${ranks.local.length === 1 ? 's' : ''} the driver of rank 0 on ${placement.masterAddr}, which writes the run; job folder ${dir}`);
  const failure = await followWorkers(launchPlan(job, placement));
  if (failure) {
    const code = failure instanceof GnetError ? failure.code : TORCH_ERRORS.workerFailed;
    throw new GnetError(code, `${failure.message.replace(`${code}: `, '')} (the logs of ${which}: ${join(dir, 'worker-*.log')})`);
  }
  rmSync(dir, { recursive: true, force: true });
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

function checkPlacement(p: TorchPlacement, gpus: number, env: NodeJS.ProcessEnv = process.env): void {
  if (!/^(cpu|cuda(:\d+)?)$/.test(p.device)) throw torchError(TORCH_ERRORS.badLaunch, `unknown --device '${p.device}'; use cpu, cuda or cuda:N`);
  if (p.device !== 'cpu' && gpus === 0) {
    throw torchError(TORCH_ERRORS.noCuda, `--device ${p.device} asks for CUDA, but torch sees no CUDA device here; install the NVIDIA driver and a CUDA build of torch (pip install torch), or train with --device cpu`);
  }
  const ranks = workerRanks(p);
  if (p.device !== 'cpu' && !gpuBoundBySlurm(p, gpus, env)) {
    // Each worker takes the GPU of its LOCAL_RANK, counted from --device cuda:N (gnet_torch/dist.py).
    const offset = p.device.startsWith('cuda:') ? Number(p.device.slice(5)) : 0;
    const [low, high] = [offset + Math.min(...ranks.local), offset + Math.max(...ranks.local)];
    if (high >= gpus) {
      const fix = p.ranks ? 'start at most one task per GPU, or bind one to each task (srun --gpus-per-task=1)' : 'lower --workers (one worker per GPU)';
      throw torchError(TORCH_ERRORS.badLaunch, `--device ${p.device} with ${p.ranks ? `local rank ${ranks.local.join(', ')}` : `--workers ${p.workers}`} needs GPUs ${low}..${high}, but ${gpus} are visible; ${fix}`);
    }
  }
  if (p.threads !== undefined && (!Number.isInteger(p.threads) || p.threads < 1)) throw torchError(TORCH_ERRORS.badLaunch, `--threads ${p.threads} is not a whole number ≥ 1`);
  if (p.nodeRank < 0 || p.nodeRank >= p.nodes) throw torchError(TORCH_ERRORS.badLaunch, `node rank ${p.nodeRank} is not below the ${p.nodes} nodes; give each machine a NODE_RANK from 0 to ${p.nodes - 1}`);
  if (ranks.world > ranks.local.length && p.masterPort === undefined) throw torchError(TORCH_ERRORS.badLaunch, `a run over ${p.nodes} nodes needs the same --master-addr and --master-port (or MASTER_ADDR, MASTER_PORT) on every node`);
}

/** A task of an srun step that sees exactly one GPU (srun --gpus-per-task=1) trains its one worker there, whatever its LOCAL_RANK (as gnet_torch/dist.py does). */
function gpuBoundBySlurm(p: TorchPlacement, gpus: number, env: NodeJS.ProcessEnv): boolean {
  return p.device === 'cuda' && gpus === 1 && p.workers === 1 && env.SLURM_STEP_ID !== undefined;
}

/** Workers × threads beyond the CPUs this process may use only slow training down: say so, with what to use. */
export function warnOversubscribed(p: TorchPlacement, notice: (message: string) => void, cpus = availableParallelism()): void {
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

