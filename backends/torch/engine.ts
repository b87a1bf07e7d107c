import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isGnCode } from '../../compiler/diagnostics/codes.js';
import { GnetError } from '../../runtime/errors.js';
import { type TrainConfig } from '../../runtime/train/config.js';
import { Diverged, type NonFinite } from '../../runtime/train/divergence.js';
import type { EngineState, NamedArray, StepOrder, TrainingEngine } from '../../runtime/train/engine.js';
import { type FileSystem, NODE_FS, fileError, removeQuietly } from '../../runtime/train/files.js';
import { readTensors, writeTensors } from '../../runtime/torch/tensor-file.js';
import { TORCH_ERRORS, torchError } from './codes.js';
import { type LaunchPlan, type Reply, type WorkerGroup, type WorkerRanks, startWorkers } from './launch.js';

/** Where and how the torch workers run: --device, --workers, --threads and the multi-node settings. */
export interface TorchPlacement {
  readonly device: string;
  readonly workers: number;
  readonly nodes: number;
  readonly nodeRank: number;
  readonly masterAddr: string;
  readonly masterPort: number | undefined;
  /** Threads per worker; default: the CPUs this process may use, shared among this machine's workers. */
  readonly threads?: number;
  /** Extra environment for the workers (tests inject faults with GNET_TORCH_FAULT). */
  readonly env?: NodeJS.ProcessEnv;
  /** Steps the workers take per request, reading their results once (default: 1 on the CPU, GPU_STEPS_PER_CALL on a GPU). */
  readonly stepsPerCall?: number;
  /** Global ranks and LOCAL_RANKs of this process's workers when they are not machine nodeRank's `workers` of `nodes × workers` (srun, one task per worker). */
  readonly ranks?: WorkerRanks;
}

/** The workers this process starts: `ranks`, else this machine's share of `nodes × workers`. */
export function workerRanks(p: Pick<TorchPlacement, 'workers' | 'nodes' | 'nodeRank' | 'ranks'>): WorkerRanks {
  return p.ranks ?? { first: p.nodeRank * p.workers, world: p.nodes * p.workers, local: Array.from({ length: p.workers }, (_, i) => i), perNode: p.workers };
}

/** Whether this process starts global rank 0, so it drives the run and alone writes the run directory. */
export const drivesRun = (p: Pick<TorchPlacement, 'workers' | 'nodes' | 'nodeRank' | 'ranks'>): boolean => workerRanks(p).first === 0;

/** On a GPU, steps are sent ten at a time: the host reads results once per ten steps, not after every one. */
export const GPU_STEPS_PER_CALL = 10;

/** A prepared job folder (job.json, the module, gnet_torch, the data file) and the Python to run it. */
export interface TorchJob {
  readonly python: string;
  readonly dir: string;
  readonly jobFile: string;
  readonly entry: string;
}

/** CPU threads for each worker: --threads, else the CPUs this process may use (its affinity) divided among the workers. */
export function threadsPerWorker(placement: Pick<TorchPlacement, 'threads' | 'workers'>, cpus = availableParallelism()): number {
  return placement.threads ?? Math.max(1, Math.floor(cpus / placement.workers));
}

/**
 * The torch engine for gnet's driver: worker processes (serve.py) that execute steps, evaluations
 * and state transfers on request. Weights and optimiser state cross as tensor files in the job folder,
 * written atomically by rank 0 and removed once read; a full disk on either side is GN0802.
 */
export async function startTorchEngine(job: TorchJob, placement: TorchPlacement, config: TrainConfig, io: FileSystem = NODE_FS): Promise<TrainingEngine> {
  const group = await startWorkers(launchPlan(job, placement));
  let ready;
  try {
    ready = await group.ready;
  } catch (error) {
    await group.close();
    throw error;
  }
  const world = Number(ready.worldSize);
  const device = `torch ${ready.torch} on ${ready.device}, ${world} worker${world === 1 ? '' : 's'} × ${ready.threads} thread${ready.threads === 1 ? '' : 's'}`;
  const stateFile = join(job.dir, 'state.tensors');
  return {
    device,
    async start(from) {
      let file: string | null = null;
      if (from) {
        file = join(job.dir, 'resume.tensors');
        writeStateFile(file, from, io);
      }
      try {
        await call(group, { op: 'start', state: file });
      } finally {
        if (file) removeQuietly(file, io);
      }
    },
    stepsPerCall: placement.stepsPerCall ?? (placement.device === 'cpu' ? 1 : GPU_STEPS_PER_CALL),
    async steps(orders: readonly StepOrder[]) {
      const result = await call(group, { op: 'steps', orders });
      return result.results as { lossSum: number; images: number; counts: number[] }[];
    },
    async evaluate(split) {
      const result = await call(group, { op: 'evaluate', split });
      return result as unknown as { lossSum: number; images: number; counts: number[]; seconds: number };
    },
    async state() {
      await call(group, { op: 'save', file: stateFile });
      try {
        return readStateFile(stateFile);
      } finally {
        removeQuietly(stateFile, io);
      }
    },
    close: () => group.close(),
  };
}

/** How the launcher starts this process's workers of `placement` on `job`. */
export function launchPlan(job: TorchJob, placement: TorchPlacement): LaunchPlan {
  const { nodeRank, masterAddr, masterPort, env } = placement;
  return { python: job.python, entry: job.entry, job: job.jobFile, ranks: workerRanks(placement), nodeRank, masterAddr, masterPort, logDir: job.dir, env };
}

async function call(group: WorkerGroup, command: { op: string } & Record<string, unknown>): Promise<Record<string, unknown>> {
  const reply: Reply = await group.request(command);
  if ('ok' in reply) return reply.ok;
  if ('diverged' in reply) throw divergedFrom(reply.diverged);
  throw new GnetError(isGnCode(reply.error.code) ? reply.error.code : TORCH_ERRORS.trainerFailed, reply.error.message);
}

function divergedFrom(fields: Record<string, unknown>): Diverged {
  const value = Number(fields.value);
  const what: NonFinite = fields.kind === 'weight'
    ? { kind: 'weight', name: String(fields.name), value, count: Number(fields.count), size: Number(fields.size) }
    : { kind: 'loss', value };
  return new Diverged(what, Array.isArray(fields.ranks) ? (fields.ranks as number[]) : null, (fields.order as StepOrder | undefined) ?? null);
}

/** Weights and slots as the tensor file rank 0 reads (iterations as a float, as the file holds only float32). */
function writeStateFile(path: string, state: EngineState, io: FileSystem): void {
  const arrays = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (const w of state.weights) arrays.set(w.name, { shape: w.shape, values: Float32Array.from(w.values) });
  for (const s of state.slots) arrays.set(`optimizer/${s.name}`, { shape: s.shape, values: Float32Array.from(s.values) });
  try {
    writeTensors(path, arrays, { learningRate: state.learningRate });
  } catch (error) {
    removeQuietly(path, io);
    throw fileError(error, `write the training state for the torch workers to ${path}`);
  }
}

function readStateFile(path: string): EngineState {
  const { arrays, header } = readTensors(path);
  const weights: NamedArray[] = [];
  const slots: NamedArray[] = [];
  for (const [name, a] of arrays) {
    if (!name.startsWith('optimizer/')) weights.push({ name, shape: a.shape, dtype: 'float32', values: a.values });
    else if (name === 'optimizer/iterations') slots.push({ name: 'iterations', shape: a.shape, dtype: 'int32', values: Int32Array.from(a.values, Math.round) });
    else slots.push({ name: name.slice('optimizer/'.length), shape: a.shape, dtype: 'float32', values: a.values });
  }
  if (slots.length === 0 || slots[0]!.name !== 'iterations') throw torchError(TORCH_ERRORS.trainerFailed, `${path} holds no optimiser state; the torch worker wrote an incomplete file`);
  return { weights, slots, learningRate: Number(header.learningRate) };
}
