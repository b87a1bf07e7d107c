import { runSlurm } from '../../runtime/slurm/client.js';
import { TORCH_ERRORS, torchError } from './codes.js';
import type { TorchPlacement } from './train-run.js';

/**
 * Where a `gnet train --backend torch` started by `srun` trains, from what Slurm tells each task
 * (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_NODEID, the step's node list), as torchrun's
 * SLURM users expect: either one task per node, which starts `--workers` processes there, or one
 * task per worker (per GPU), which is that worker. Outside an srun step (a plain shell, the batch
 * script itself, a job array's task) there is nothing to read and gnet places its workers as usual.
 */
export interface SlurmPlacement {
  /** Machines in the step, and this task's. */
  readonly nodes: number;
  readonly nodeRank: number;
  /** The step's first host, where rank 0 listens. */
  readonly masterAddr: string;
  /** MASTER_PORT, else one derived from the job id, the same for every task without talking. */
  readonly masterPort: number;
  /** Worker processes on each machine. */
  readonly workersPerNode: number;
  /** The local ranks this process runs (one task per worker: its SLURM_LOCALID). */
  readonly localRanks: readonly number[];
  /** Global rank of the first of them, and of how many. */
  readonly firstRank: number;
  readonly worldSize: number;
  /** One task per worker (true), or one task per node starting the workers. */
  readonly taskPerWorker: boolean;
}

/** An srun step's placement; undefined outside one. `hostnames` is the step's node list, expanded. */
export function slurmPlacement(env: NodeJS.ProcessEnv, hostnames: readonly string[], workers: number | undefined): SlurmPlacement | undefined {
  if (env.SLURM_STEP_ID === undefined || env.SLURM_PROCID === undefined) return undefined;
  const tasks = whole(env, 'SLURM_STEP_NUM_TASKS') ?? whole(env, 'SLURM_NTASKS') ?? 1;
  const nodes = whole(env, 'SLURM_STEP_NUM_NODES') ?? whole(env, 'SLURM_NNODES') ?? 1;
  const procId = whole(env, 'SLURM_PROCID')!;
  const localId = whole(env, 'SLURM_LOCALID') ?? 0;
  const nodeRank = whole(env, 'SLURM_NODEID') ?? 0;
  const masterAddr = hostnames[0];
  if (masterAddr === undefined) throw torchError(TORCH_ERRORS.badLaunch, 'the Slurm step lists no nodes (SLURM_STEP_NODELIST is empty); run gnet train under srun inside an allocation');
  const masterPort = whole(env, 'MASTER_PORT') ?? 15000 + ((whole(env, 'SLURM_JOB_ID') ?? 0) % 20000);
  if (tasks === nodes) {
    const perNode = workers ?? 1;
    return { nodes, nodeRank, masterAddr, masterPort, workersPerNode: perNode, localRanks: Array.from({ length: perNode }, (_, i) => i), firstRank: nodeRank * perNode, worldSize: nodes * perNode, taskPerWorker: false };
  }
  const perNode = tasksPerNode(env.SLURM_STEP_TASKS_PER_NODE ?? env.SLURM_TASKS_PER_NODE ?? String(tasks))[nodeRank] ?? 1;
  // --workers W beside W tasks on this node says the same thing twice (gnet train --executor slurm writes both).
  if (workers !== undefined && workers > 1 && workers !== perNode) {
    throw torchError(TORCH_ERRORS.badLaunch, `srun started ${tasks} tasks on ${nodes} node(s), ${perNode} on this one, so each task is one worker, but --workers ${workers} asks each for ${workers}; drop --workers, or start one task per node (srun --ntasks-per-node=1) with --workers ${workers}`);
  }
  return { nodes, nodeRank, masterAddr, masterPort, workersPerNode: perNode, localRanks: [localId], firstRank: procId, worldSize: tasks, taskPerWorker: true };
}

/**
 * The launcher's placement: one task per node starts its node's `--workers`; one task per worker
 * starts the worker of global rank SLURM_PROCID with LOCAL_RANK SLURM_LOCALID, so `--device cuda`
 * puts it on GPU SLURM_LOCALID of its node (or on the one GPU Slurm bound to the task).
 */
export function launcherPlacement(p: SlurmPlacement, device: string, env: NodeJS.ProcessEnv): TorchPlacement {
  const threads = whole(env, 'SLURM_CPUS_PER_TASK');
  const workers = p.localRanks.length;
  return {
    device,
    workers,
    nodes: p.nodes,
    nodeRank: p.nodeRank,
    masterAddr: p.masterAddr,
    // Every worker started by this one process: it may pick a free port itself.
    masterPort: p.worldSize > workers ? p.masterPort : undefined,
    ...(threads === undefined ? {} : { threads: Math.max(1, Math.floor(threads / workers)) }),
    ...(p.taskPerWorker ? { ranks: { first: p.firstRank, world: p.worldSize, local: p.localRanks, perNode: p.workersPerNode } } : {}),
  };
}

/** The hook of placementFrom: the srun step's placement, when gnet runs in one and no node flag overrides it. */
export function placementUnderSrun(
  flags: { readonly device?: string; readonly workers?: number; readonly threads?: number; readonly nodes?: number; readonly nodeRank?: number; readonly masterAddr?: string; readonly masterPort?: number },
  env: NodeJS.ProcessEnv,
): TorchPlacement | undefined {
  if (env.SLURM_STEP_ID === undefined || flags.nodes !== undefined || flags.nodeRank !== undefined) return undefined;
  const placement = slurmPlacement(env, stepHostnames(env), flags.workers);
  if (!placement) return undefined;
  const launcher = launcherPlacement(placement, flags.device ?? 'cpu', env);
  return { ...launcher, masterAddr: flags.masterAddr ?? launcher.masterAddr, masterPort: flags.masterPort ?? launcher.masterPort, threads: flags.threads ?? launcher.threads };
}

/** `scontrol show hostnames` of the step's node list (a single plain name needs no scontrol). */
function stepHostnames(env: NodeJS.ProcessEnv): string[] {
  const list = env.SLURM_STEP_NODELIST ?? env.SLURM_JOB_NODELIST ?? '';
  if (/^[^,[\]]*$/.test(list)) return list ? [list] : [];
  const result = runSlurm('scontrol', ['show', 'hostnames', list], env);
  return result.stdout.split('\n').map((h) => h.trim()).filter(Boolean);
}

/** `2(x3),1` → [2, 2, 2, 1]: SLURM_TASKS_PER_NODE's compressed list. */
export function tasksPerNode(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const m = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    return m ? Array.from({ length: Number(m[2] ?? 1) }, () => Number(m[1])) : [];
  });
}

function whole(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw torchError(TORCH_ERRORS.badLaunch, `${name}=${text} is not a whole number; fix or unset it`);
  return value;
}
