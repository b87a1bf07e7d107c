import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TORCH_ERRORS, torchError } from './codes.js';

/**
 * Starts the trainer's worker processes on this machine and follows them: one process per worker
 * with RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set as torchrun would (Debian's
 * torchrun 1.13 cannot start under Python 3.11), global rank 0's stdout read as JSON events, every
 * worker's other output kept in RUNDIR/torch/worker-<rank>.log. Ctrl-C is passed on to every worker
 * (they agree to stop after the same step); a worker that dies takes the others down at once.
 */
export interface LaunchPlan {
  readonly python: string;
  readonly entry: string;
  readonly job: string;
  readonly workers: number;
  readonly nodes: number;
  readonly nodeRank: number;
  readonly masterAddr: string;
  /** Undefined: a free port is picked (single node only). */
  readonly masterPort: number | undefined;
  readonly logDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

export type TrainerEvent = { readonly event: string } & Record<string, unknown>;

export interface LaunchOutcome {
  /** 'completed', 'interrupted', or 'nonfinite' (the event with the details was delivered). */
  readonly status: 'completed' | 'interrupted' | 'nonfinite';
}

/** Exit codes train.py uses: 0 done, 1 a coded error (reported on stderr), 3 a non-finite loss, 130 stopped. */
const EXIT = { done: 0, error: 1, nonfinite: 3, interrupted: 130 } as const;
/** How long the others may take to leave after one worker left with a coded exit. */
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

export async function launchWorkers(plan: LaunchPlan, onEvent: (event: TrainerEvent) => Promise<void>, signal?: AbortSignal): Promise<LaunchOutcome> {
  const port = plan.masterPort ?? (await freePort(plan.masterAddr));
  const world = plan.nodes * plan.workers;
  const workers: Worker[] = [];
  let chain = Promise.resolve();
  let eventError: unknown;
  for (let local = 0; local < plan.workers; local++) {
    const rank = plan.nodeRank * plan.workers + local;
    const env = {
      ...process.env,
      ...plan.env,
      RANK: String(rank),
      LOCAL_RANK: String(local),
      WORLD_SIZE: String(world),
      LOCAL_WORLD_SIZE: String(plan.workers),
      GROUP_RANK: String(plan.nodeRank),
      MASTER_ADDR: plan.masterAddr,
      MASTER_PORT: String(port),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    // Own process group: the terminal's Ctrl-C reaches gnet only, and gnet passes it on once.
    const child = spawn(plan.python, [plan.entry, '--job', plan.job], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const worker: Worker = { rank, child, tail: [] };
    workers.push(worker);
    const log = join(plan.logDir, `worker-${rank}.log`);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const error = parseError(line);
      if (error) worker.error ??= error;
      else {
        worker.tail.push(line);
        if (worker.tail.length > 12) worker.tail.shift();
      }
      appendFileSync(log, `${line}\n`);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseEvent(line);
      if (!event) return void appendFileSync(log, `${line}\n`);
      chain = chain.then(() => (eventError ? undefined : onEvent(event))).catch((error) => {
        eventError ??= error;
        stopAll(workers, 'SIGKILL');
      });
    });
  }
  const interrupt = () => workers.forEach((w) => w.exit ?? signalGroup(w.child, 'SIGINT'));
  signal?.addEventListener('abort', interrupt);
  try {
    const failure = await followExits(workers);
    await chain;
    if (eventError) throw eventError;
    if (failure) throw failure;
    const codes = workers.map((w) => w.exit?.code);
    // train.py exits 0 only when it trained to the end (ranks other than 0 print no events).
    if (codes.every((c) => c === EXIT.done)) return { status: 'completed' };
    if (codes.includes(EXIT.nonfinite)) return { status: 'nonfinite' };
    if (codes.every((c) => c === EXIT.interrupted || c === EXIT.done)) return { status: 'interrupted' };
    throw describeFailure(workers.find((w) => w.exit?.code !== EXIT.done) ?? workers[0]!, world);
  } finally {
    signal?.removeEventListener('abort', interrupt);
    stopAll(workers, 'SIGKILL');
  }
}

/** Waits for every worker; the first uncoded death (a signal, a crash) stops the rest at once. */
function followExits(workers: Worker[]): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let failure: Error | undefined;
    let left = workers.length;
    let grace: NodeJS.Timeout | undefined;
    for (const worker of workers) {
      worker.child.once('error', (error) => {
        failure ??= torchError(TORCH_ERRORS.trainerFailed, `worker rank ${worker.rank} could not start (${error.message}); check GNET_PYTHON`);
      });
      worker.child.once('close', (code, signal) => {
        worker.exit = { code, signal };
        left -= 1;
        const coded = signal === null && (code === EXIT.done || code === EXIT.interrupted || code === EXIT.nonfinite);
        if (!coded && failure === undefined) {
          // A crash, a kill or a coded error (no CUDA on this rank…): the others would wait for it forever.
          failure = describeFailure(worker, workers.length);
          stopAll(workers, 'SIGKILL');
        } else if (code !== EXIT.done && left > 0 && grace === undefined) {
          grace = setTimeout(() => stopAll(workers, 'SIGKILL'), GRACE_MS);
        }
        if (left === 0) {
          clearTimeout(grace);
          resolve(failure ?? codedFailure(workers));
        }
      });
    }
  });
}

/** A coded error a worker reported (GN0913 no CUDA, …), first by rank. */
function codedFailure(workers: readonly Worker[]): Error | undefined {
  const reported = workers.find((w) => w.error !== undefined);
  return reported && torchError(reported.error!.code as never, reported.error!.message);
}

function describeFailure(worker: Worker, world: number): Error {
  if (worker.error) return torchError(worker.error.code as never, worker.error.message);
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

function parseEvent(line: string): TrainerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as TrainerEvent;
    return typeof value?.event === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseError(line: string): { code: string; message: string } | undefined {
  const event = parseEvent(line);
  return event?.event === 'error' && typeof event.code === 'string' ? { code: event.code, message: String(event.message) } : undefined;
}
