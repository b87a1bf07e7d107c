/**
 * The analysis threads (worker.ts) and what runs where. Each thread holds its own Workspace, kept
 * in step with the editor's documents just before it gets a job, and one job at a time. Requests go
 * before analyses, to a thread that already holds the file's analysis, else to any idle one; a job
 * on a file a busy thread is working on waits for that thread (one file is never analysed twice at
 * once). So a long analysis of one file leaves the other threads to answer for the others. A
 * thread still running an analysis that an edit made stale, or a request its client cancelled, is
 * ended and replaced: that is what cancels a synchronous compile.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, LSPErrorCodes, type CancellationToken } from 'vscode-languageserver';
import type { AnalysisSummary, Answer, FeatureOptions } from './handlers.js';
import type { FromWorker, ToWorker } from './worker.js';

/** A stale job younger than this is left to finish (replacing a thread costs its start-up and caches). */
const CANCEL_AFTER_MS = 250;

export interface PoolSource {
  /** The open documents. */
  docs(): ReadonlyMap<string, { readonly text: string; readonly version: number }>;
  /** Open files whose last analysis read `key`. */
  dependents(key: string): Iterable<string>;
  folders(): readonly string[];
  options(): FeatureOptions;
}

type Job =
  | { readonly kind: 'analyze'; readonly key: string; readonly done: (s: AnalysisSummary | undefined) => void }
  | { readonly kind: 'request'; readonly key: string | undefined; readonly method: string; readonly params: object; readonly token?: CancellationToken; readonly done: (a: Answer) => void };

interface Slot {
  worker: Worker;
  /** The document versions this thread has. */
  readonly synced: Map<string, number>;
  /** Files whose analysis this thread holds for those versions. */
  readonly holds: Set<string>;
  /** Files changed on disk that it has not been told of. */
  disk: string[];
  job?: { readonly job: Job; readonly id: number; readonly sentAt: number };
}

const CANCELLED: Answer = { error: { code: LSPErrorCodes.RequestCancelled, message: 'request cancelled' } };

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly source: PoolSource,
    size = Math.max(2, Math.min(4, availableParallelism() - 1)),
    private readonly cancelAfterMs = CANCEL_AFTER_MS,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Analyses a file; undefined when an edit superseded the analysis first. */
  analyze(key: string): Promise<AnalysisSummary | undefined> {
    return new Promise((done) => {
      // One pending analysis per file: a newer one replaces it (the thread reads the latest text anyway).
      const queued = this.queue.findIndex((j) => j.kind === 'analyze' && j.key === key);
      if (queued >= 0) (this.queue.splice(queued, 1)[0] as Job & { kind: 'analyze' }).done(undefined);
      this.queue.push({ kind: 'analyze', key, done });
      this.dispatch();
    });
  }

  request(key: string | undefined, method: string, params: object, token?: CancellationToken): Promise<Answer> {
    return new Promise((done) => {
      const job: Job = { kind: 'request', key, method, params, token, done };
      token?.onCancellationRequested(() => this.cancel(job));
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Files changed on disk: every thread re-reads them. */
  changedOnDisk(keys: readonly string[]): void {
    for (const slot of this.slots) slot.disk.push(...keys);
  }

  /** The editor changed `key`: a running analysis of it, or of a file that reads it, is stale. */
  edited(key: string): void {
    const stale = new Set([key, ...this.source.dependents(key)]);
    for (const slot of this.slots) {
      const running = slot.job;
      if (running?.job.kind === 'analyze' && stale.has(running.job.key) && performance.now() - running.sentAt >= this.cancelAfterMs) {
        this.replace(slot);
        running.job.done(undefined);
      }
    }
    this.dispatch();
  }

  /** The options changed: every thread is told before its next job. */
  reconfigure(): void {
    for (const slot of this.slots) this.post(slot, this.configMessage());
  }

  dispose(): void {
    this.disposed = true;
    for (const slot of this.slots) {
      void slot.worker.terminate();
      if (slot.job) this.fail(slot.job.job, 'the server is shutting down');
    }
    for (const job of this.queue.splice(0)) this.fail(job, 'the server is shutting down');
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      (job as Job & { kind: 'request' }).done(CANCELLED);
      return;
    }
    const slot = this.slots.find((s) => s.job?.job === job);
    if (slot && performance.now() - slot.job!.sentAt >= this.cancelAfterMs) {
      this.replace(slot);
      (job as Job & { kind: 'request' }).done(CANCELLED);
      this.dispatch();
    }
  }

  private dispatch(): void {
    if (this.disposed) return;
    for (;;) {
      const idle = this.slots.filter((s) => !s.job);
      if (!idle.length) return;
      const next = this.pick(idle);
      if (!next) return;
      this.queue.splice(this.queue.indexOf(next.job), 1);
      this.send(next.slot, next.job);
    }
  }

  /** Requests first, then analyses, in order; a job waits for a busy thread working on its file. */
  private pick(idle: readonly Slot[]): { job: Job; slot: Slot } | undefined {
    for (const kind of ['request', 'analyze'] as const) {
      for (const job of this.queue) {
        if (job.kind !== kind) continue;
        if (job.key !== undefined && this.slots.some((s) => s.job?.job.key === job.key)) continue;
        const slot = (job.key !== undefined ? idle.find((s) => s.holds.has(job.key!)) : undefined) ?? idle[0]!;
        return { job, slot };
      }
    }
    return undefined;
  }

  private send(slot: Slot, job: Job): void {
    this.sync(slot);
    const id = this.nextId++;
    slot.job = { job, id, sentAt: performance.now() };
    this.post(slot, job.kind === 'analyze' ? { kind: 'analyze', id, key: job.key } : { kind: 'request', id, method: job.method, params: job.params as Record<string, unknown> });
  }

  /** Sends the thread what changed since it last synced; what it held of those files (and their readers) is dropped. */
  private sync(slot: Slot): void {
    const docs = this.source.docs();
    const changed: { key: string; text: string; version: number }[] = [];
    const closed: string[] = [];
    for (const [key, d] of docs) {
      if (slot.synced.get(key) === d.version) continue;
      changed.push({ key, text: d.text, version: d.version });
      slot.synced.set(key, d.version);
    }
    for (const key of slot.synced.keys()) if (!docs.has(key)) closed.push(key);
    for (const key of closed) slot.synced.delete(key);
    const disk = slot.disk;
    slot.disk = [];
    for (const key of [...changed.map((c) => c.key), ...closed, ...disk]) {
      slot.holds.delete(key);
      for (const reader of this.source.dependents(key)) slot.holds.delete(reader);
    }
    if (changed.length || closed.length || disk.length) this.post(slot, { kind: 'sync', docs: changed, closed, disk });
  }

  private receive(slot: Slot, m: FromWorker): void {
    const running = slot.job;
    if (!running || running.id !== m.id) return;
    slot.job = undefined;
    const job = running.job;
    if (job.key !== undefined && !('error' in m)) slot.holds.add(job.key);
    if (job.kind === 'analyze') job.done('summary' in m ? m.summary : undefined);
    else job.done('error' in m ? { error: m.error } : { result: (m as { result: unknown }).result });
    this.dispatch();
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), synced: new Map(), holds: new Set(), disk: [] };
    this.watch(slot);
    this.post(slot, this.configMessage());
    return slot;
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    worker.on('message', (m: FromWorker) => this.receive(slot, m));
    // A thread that dies on its own (out of memory, a bug outside the handlers) is replaced; its job fails.
    worker.on('error', (e) => {
      if (slot.worker !== worker || this.disposed) return;
      const running = slot.job;
      this.replace(slot);
      if (running) this.fail(running.job, `the analysis thread failed: ${e.message}`);
      this.dispatch();
    });
  }

  private replace(slot: Slot): void {
    const old = slot.worker;
    slot.worker = startWorker();
    slot.synced.clear();
    slot.holds.clear();
    slot.disk = [];
    slot.job = undefined;
    void old.terminate();
    this.watch(slot);
    this.post(slot, this.configMessage());
  }

  private fail(job: Job, message: string): void {
    if (job.kind === 'analyze') job.done(undefined);
    else job.done({ error: { code: ErrorCodes.InternalError, message } });
  }

  private configMessage(): ToWorker {
    return { kind: 'config', folders: this.source.folders(), options: this.source.options() };
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }
}

/**
 * The thread's entry: dist/lsp-worker.js in the built bundle; lsp/worker.ts when the server runs
 * from the TypeScript sources (under tsx, which a worker's entry module needs registered first).
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./lsp-worker.js', here));
  const entry = new URL('./worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, execArgv: [] });
}
