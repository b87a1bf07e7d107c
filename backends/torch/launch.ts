import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isGnCode } from '../../compiler/diagnostics/codes.js';
import { GnetError } from '../../runtime/errors.js';
import { TORCH_ERRORS, torchError } from './codes.js';

/**
 * The torch engine's worker processes of this gnet process: one per worker with RANK, LOCAL_RANK,
 * WORLD_SIZE, MASTER_ADDR and MASTER_PORT set as torchrun would (Debian's torchrun 1.13 cannot start
 * under Python 3.11). Global rank 0 takes commands on stdin and answers on stdout (serve.py); every
 * worker's other output is appended to <job folder>/worker-<rank>.log (RUNDIR/torch/ for rank 0's process). A worker that dies takes the others
 * down at once, and every pending command fails with its rank and how it ended.
 */
export interface LaunchPlan {
  readonly python: string;
  readonly entry: string;
  readonly job: string;
  readonly ranks: WorkerRanks;
  /** This machine's place among the machines (GROUP_RANK). */
  readonly nodeRank: number;
  readonly masterAddr: string;
  /** Undefined: a free port is picked (only when every worker of the world is started here). */
  readonly masterPort: number | undefined;
  readonly logDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The workers one gnet process starts: all of a machine's (`--workers`, ranks nodeRank × workers
 * onwards) or, under srun with one task per worker, the one whose global rank is SLURM_PROCID and
 * whose LOCAL_RANK (its GPU on the machine) is SLURM_LOCALID.
 */
export interface WorkerRanks {
  /** Global rank of the first worker started here; the others follow it. */
  readonly first: number;
  /** Workers in the whole run (WORLD_SIZE). */
  readonly world: number;
  /** LOCAL_RANK of each worker started here. */
  readonly local: readonly number[];
  /** Workers on this machine, by any process (LOCAL_WORLD_SIZE). */
  readonly perNode: number;
}

export type WorkerEvent = { readonly event: string } & Record<string, unknown>;

/** A reply's body: the result, or why the command did not succeed. */
export type Reply = { readonly ok: Record<string, unknown> } | { readonly diverged: Record<string, unknown> } | { readonly error: { readonly code: string; readonly message: string } };

export interface WorkerGroup {
  /** Rank 0's "ready" event (device, world size, threads, torch version); rejects if a worker fails first. */
  readonly ready: Promise<WorkerEvent>;
  /** Sends a command to rank 0 (which passes it on to every rank) and waits for its reply. */
  request(command: { readonly op: string } & Record<string, unknown>): Promise<Reply>;
  /** Asks the workers to leave and waits for them (killing any left after a grace period). */
  close(): Promise<void>;
  /** Resolves when every local worker has exited; a failure, if one happened. */
  readonly exited: Promise<Error | undefined>;
}

/** How long workers may take to leave after `close` or after one of them left. */
const GRACE_MS = 15_000;

interface Worker {
  readonly rank: number;
  readonly child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  error?: { code: string; message: string };
  tail: string[];
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Refuses a taken --master-port before any worker starts (gloo would only say "address in use" deep in a trace). */
export async function checkPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(torchError(TORCH_ERRORS.portInUse, `port ${port} on ${host} is ${error.code === 'EACCES' ? 'not allowed' : 'already in use'}; pick another with --master-port (or MASTER_PORT), or leave it out and gnet picks a free one`));
      } else reject(torchError(TORCH_ERRORS.badLaunch, `cannot listen on ${host}:${port} (${error.message}); check --master-addr`));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export async function startWorkers(plan: LaunchPlan): Promise<WorkerGroup> {
  const { first, world, local, perNode } = plan.ranks;
  if (plan.masterPort === undefined && local.length < world) throw torchError(TORCH_ERRORS.badLaunch, `${world - local.length} of the ${world} workers start elsewhere, so every process needs the same --master-port (or MASTER_PORT)`);
  const port = plan.masterPort ?? (await freePort(plan.masterAddr));
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let readyEvent: ((event: WorkerEvent) => void) | undefined;
  const ready = new Promise<WorkerEvent>((resolve) => (readyEvent = resolve));
  let nextId = 1;
  for (const [index, localRank] of local.entries()) {
    const rank = first + index;
    const env = {
      ...process.env,
      ...plan.env,
      RANK: String(rank),
      LOCAL_RANK: String(localRank),
      WORLD_SIZE: String(world),
      LOCAL_WORLD_SIZE: String(perNode),
      GROUP_RANK: String(plan.nodeRank),
      MASTER_ADDR: plan.masterAddr,
      MASTER_PORT: String(port),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    // Own process group: the terminal's Ctrl-C reaches gnet only, whose driver stops after the step.
    const child = spawn(plan.python, [plan.entry, '--job', plan.job], { env, stdio: [rank === 0 ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
    // A worker gone mid-write must not crash gnet; its exit is reported instead.
    child.stdin?.on('error', () => undefined);
    const worker: Worker = { rank, child, tail: [] };
    workers.push(worker);
    const log = join(plan.logDir, `worker-${rank}.log`);
    // Appended, never replaced: a resumed run's log keeps what its earlier launches said.
    appendFileSync(log, `== ${new Date().toISOString()} worker rank ${rank} of ${world} (pid ${child.pid}) started\n`);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const error = parseError(line);
      if (error) worker.error ??= error;
      else keepTail(worker, line);
      appendFileSync(log, `${line}\n`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseEvent(line);
      if (!event) {
        keepTail(worker, line);
        return void appendFileSync(log, `${line}\n`);
      }
      if (event.event === 'ready') readyEvent?.(event);
      if (event.event === 'reply') {
        const waiting = pending.get(Number(event.id));
        pending.delete(Number(event.id));
        waiting?.resolve(event as unknown as Reply);
      }
    });
  }
  const exited = followExits(workers, world);
  let failure: Error | undefined;
  void exited.then((error) => {
    failure = error ?? torchError(TORCH_ERRORS.workerFailed, `the torch workers left before gnet was done with them; see ${join(plan.logDir, 'worker-*.log')}`);
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  });
  // Commands go to global rank 0, which only the process that drives the run starts (ranks.first 0).
  const rank0 = workers[0]!;
  const readyOrGone = Promise.race([ready, exited.then((error) => Promise.reject(error ?? torchError(TORCH_ERRORS.workerFailed, 'the torch workers left before they were ready')))]);
  // Followers (processes without rank 0) never hear "ready"; their group is only awaited through `exited`.
  readyOrGone.catch(() => undefined);
  return {
    ready: readyOrGone,
    exited,
    request(command) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        rank0.child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
      });
    },
    async close() {
      if (rank0.child.stdin?.writable) rank0.child.stdin.end(`${JSON.stringify({ op: 'close' })}\n`);
      const timer = setTimeout(() => stopAll(workers, 'SIGKILL'), GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Workers of processes other than rank 0's only follow; they leave when rank 0's driver closes them. */
export async function followWorkers(plan: LaunchPlan): Promise<Error | undefined> {
  const group = await startWorkers(plan);
  return group.exited;
}

function keepTail(worker: Worker, line: string): void {
  worker.tail.push(line);
  if (worker.tail.length > 12) worker.tail.shift();
}

/** Resolves once every worker has exited: with the first failure (a crash, a kill, a coded error) or undefined. */
function followExits(workers: Worker[], world: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let failure: Error | undefined;
    let left = workers.length;
    for (const worker of workers) {
      worker.child.once('error', (error) => {
        failure ??= torchError(TORCH_ERRORS.trainerFailed, `worker rank ${worker.rank} could not start (${error.message}); check GNET_PYTHON`);
      });
      worker.child.once('close', (code, signal) => {
        worker.exit = { code, signal };
        left -= 1;
        if ((code !== 0 || signal !== null) && failure === undefined) {
          // The others would wait for it forever in their next collective.
          failure = describeFailure(worker, world);
          stopAll(workers, 'SIGKILL');
        }
        if (left === 0) resolve(failure);
      });
    }
  });
}

function describeFailure(worker: Worker, world: number): Error {
  if (worker.error) return new GnetError(isGnCode(worker.error.code) ? worker.error.code : TORCH_ERRORS.trainerFailed, worker.error.message);
  const how = worker.exit?.signal ? `was killed by ${worker.exit.signal}` : `exited with status ${worker.exit?.code}`;
  const tail = worker.tail.filter((l) => l.trim() !== '').slice(-3).join(' | ');
  const said = tail ? ` (its last output: ${tail})` : '';
  const of = world > 1 ? ` of ${world}` : '';
  return torchError(TORCH_ERRORS.workerFailed, `torch worker rank ${worker.rank}${of} (pid ${worker.child.pid}) ${how}${said}; the run stopped and the last checkpoint is intact: continue with --resume, with fewer --workers if a machine or GPU is short of memory`);
}

function stopAll(workers: readonly Worker[], signal: NodeJS.Signals): void {
  for (const w of workers) if (w.exit === undefined) signalGroup(w.child, signal);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function parseEvent(line: string): WorkerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as WorkerEvent;
    return typeof value?.event === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseError(line: string): { code: string; message: string } | undefined {
  const event = parseEvent(line);
  return event?.event === 'error' && typeof event.code === 'string' ? { code: event.code, message: String(event.message) } : undefined;
}
