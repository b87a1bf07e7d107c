import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { readLog } from '../train/log.js';
import type { RunRecord } from '../train/run-dir.js';
import { writeFileAtomic } from '../train/files.js';
import { CELL_FILE, CELL_LOG, type Cell, FAILED_FILE, SUBSET_FILE, type FailureRecord, TEST_FILE, type TestRecord, cellState } from './cells.js';
import { EXPERIMENT_ERRORS } from './codes.js';

/**
 * One cell, run as child processes of gnet's own command line: `gnet train` (or `gnet train
 * --resume` for a cell a killed experiment left half done), then `gnet eval --split test` on the
 * backend the run trained on (config.json's, so `auto` tests where it trained), of the final
 * weights, or of the best checkpoint when the run has a stopping rule (`early_stop`: keep the best).
 * A crash stays in its cell, and every backend (torch included) works as in `gnet train`.
 */

/** How to start gnet: node, its flags (a loader in tests) and the CLI's entry file. */
export interface GnetCommand {
  readonly executable: string;
  readonly args: readonly string[];
}

export interface CellJob {
  readonly cell: Cell;
  readonly dir: string;
  /** The spec file that defines the network. */
  readonly file: string;
  /** --train-size of the run: the size, or the whole pool after validation for `all`. */
  readonly trainCount: number;
  /** Flags every new run of this cell gets besides --network, --seed, --train-size and --out. */
  readonly trainArgs: readonly string[];
  /** Flags a resumed run gets (backend and placement only: the rest is saved in the run). */
  readonly resumeArgs: readonly string[];
  /** Flags of the test pass besides its backend and weights, which the run's config.json decides. */
  readonly evalArgs: readonly string[];
  readonly cellKey: string;
  /** Written as subset.json before training: which training images the run draws (pool.ts). */
  readonly subset?: unknown;
  readonly command: GnetCommand;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /**
   * Run as a Slurm task: the scheduler signals every process of the task itself (time limit,
   * scancel, pre-emption), so the processes stay in the task's process group and `signal` is not
   * passed on (a second SIGTERM would make gnet train quit without its checkpoint).
   */
  readonly scheduled?: boolean;
}

export type CellOutcome =
  | { readonly status: 'complete'; readonly test: TestRecord }
  | { readonly status: 'failed'; readonly failure: FailureRecord }
  | { readonly status: 'interrupted' };

interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  /** This process's stderr and stdout lines, as appended to cell.log. */
  readonly output: string;
}

/** Exit codes of a `gnet train` stopped by a signal after saving a checkpoint. */
const STOPPED = new Set([129, 130, 143]);

export async function runCell(job: CellJob): Promise<CellOutcome> {
  const { dir, cell } = job;
  if (cellState(dir).status === 'failed') setAsideFailed(dir);
  mkdirSync(dir, { recursive: true });
  if (job.subset !== undefined) writeFileAtomic(join(dir, SUBSET_FILE), `${JSON.stringify(job.subset, null, 2)}\n`);
  const started = cellState(dir).status === 'partial';
  if (!started) writeFileAtomic(join(dir, CELL_FILE), `${JSON.stringify({ network: cell.network, trainSize: cell.size, seed: cell.seed, cellKey: job.cellKey }, null, 2)}\n`);
  if (!existsSync(join(dir, 'model', 'model.json'))) {
    const args = started
      ? ['train', job.file, '--resume', dir, ...job.resumeArgs]
      : ['train', job.file, '--network', cell.network, '--seed', String(cell.seed), '--train-size', String(job.trainCount), '--out', dir, ...job.trainArgs];
    note(dir, started ? `resuming the run in ${dir}` : `starting the run`, args);
    const trained = await runGnet(job, args, false);
    if (job.signal?.aborted && (trained.exitCode === null || STOPPED.has(trained.exitCode))) return { status: 'interrupted' };
    if (trained.exitCode !== 0) return fail(job, 'train', trained);
  }
  if (job.signal?.aborted) return { status: 'interrupted' };
  const evalStart = Date.now();
  const trained = trainedWith(dir);
  const checkpoint = trained.earlyStop ? 'best' : 'model';
  const evalArgs = ['eval', dir, '--split', 'test', '--json', '--backend', trained.backend, ...(checkpoint === 'best' ? ['--checkpoint', 'best'] : []), ...(trained.backend === 'torch' ? job.evalArgs : [])];
  note(dir, 'evaluating the test split', evalArgs);
  const evaluated = await runGnet(job, evalArgs, true);
  if (evaluated.exitCode !== 0) return job.signal?.aborted ? { status: 'interrupted' } : fail(job, 'eval', evaluated);
  let summary: { data: string; images: number; loss: number; metrics: TestRecord['metrics'] };
  try {
    summary = JSON.parse(evaluated.stdout);
  } catch {
    return fail(job, 'eval', { ...evaluated, output: `${evaluated.output}\ngnet eval printed no JSON: ${evaluated.stdout.slice(0, 200)}` });
  }
  const log = readLog(join(dir, 'log.jsonl'));
  const test: TestRecord = {
    format: 'gnet-experiment-test',
    version: 1,
    network: cell.network,
    trainSize: cell.size,
    seed: cell.seed,
    cellKey: job.cellKey,
    split: 'test',
    data: summary.data,
    images: summary.images,
    loss: summary.loss,
    metrics: summary.metrics,
    checkpoint,
    backend: trained.backend,
    epochs: log.length,
    trainImages: trainImages(dir),
    trainSeconds: round(log.reduce((sum, r) => sum + r.seconds, 0)),
    evalSeconds: round((Date.now() - evalStart) / 1000),
    finishedAt: new Date().toISOString(),
  };
  writeFileAtomic(join(dir, TEST_FILE), `${JSON.stringify(test, null, 2)}\n`);
  return { status: 'complete', test };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The backend the run trained on and whether it had a stopping rule, from its config.json. */
function trainedWith(dir: string): { backend: string; earlyStop: boolean } {
  const record = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Pick<RunRecord, 'backend' | 'train'>;
  return { backend: record.backend, earlyStop: record.train.earlyStop != null };
}

function trainImages(dir: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as { trainCount: number }).trainCount;
  } catch {
    return null;
  }
}

/** A failed cell is run again from the start; its old directory stays beside it as seedK.failed-N. */
function setAsideFailed(dir: string): void {
  let n = 1;
  while (existsSync(`${dir}.failed-${n}`)) n++;
  renameSync(dir, `${dir}.failed-${n}`);
}

function note(dir: string, what: string, args: readonly string[]): void {
  appendFileSync(join(dir, CELL_LOG), `\n== ${new Date().toISOString()} ${what}: gnet ${args.join(' ')}\n`);
}

/**
 * Starts gnet in its own process group, so Ctrl-C in the terminal reaches only the experiment, which
 * then forwards one SIGTERM (a second signal would make the run quit without its checkpoint).
 */
function runGnet(job: CellJob, args: readonly string[], keepStdout: boolean): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(job.command.executable, [...job.command.args, ...args], { env: { ...process.env, ...job.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: !job.scheduled });
    const log = join(job.dir, CELL_LOG);
    let stdout = '';
    let output = '';
    const keep = (text: string) => {
      output = (output + text).slice(-20000);
      appendFileSync(log, text);
    };
    child.stdout.setEncoding('utf8').on('data', (text: string) => (keepStdout ? (stdout += text) : keep(text)));
    child.stderr.setEncoding('utf8').on('data', keep);
    const stop = () => child.kill('SIGTERM');
    if (!job.scheduled) job.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      keep(`gnet: could not start ${job.command.executable}: ${error.message}\n`);
    });
    child.on('close', (exitCode, signal) => {
      job.signal?.removeEventListener('abort', stop);
      resolve({ exitCode, signal, stdout, output });
    });
  });
}

function fail(job: CellJob, stage: FailureRecord['stage'], result: ProcessResult): CellOutcome {
  const { code, message } = errorOf(result, stage);
  const failure: FailureRecord = {
    format: 'gnet-experiment-failure',
    version: 1,
    network: job.cell.network,
    trainSize: job.cell.size,
    seed: job.cell.seed,
    stage,
    exitCode: result.exitCode,
    signal: result.signal,
    code,
    message,
    logTail: result.output.split('\n').filter((l) => l.trim() !== '').slice(-20),
    failedAt: new Date().toISOString(),
  };
  writeFileAtomic(join(job.dir, FAILED_FILE), `${JSON.stringify(failure, null, 2)}\n`);
  return { status: 'failed', failure };
}

/** The error gnet printed (`gnet: error[GN0803]: …` or a compile diagnostic), else what ended the process. */
export function errorOf(result: Pick<ProcessResult, 'output' | 'exitCode' | 'signal'>, stage: string): { code: string; message: string } {
  const lines = result.output.split('\n');
  const runtime = lines.filter((l) => /^gnet: error\[GN\d{4}\]: /.test(l)).pop();
  const diagnostic = lines.find((l) => /^error\[GN\d{4}\]: /.test(l));
  const found = /error\[(GN\d{4})\]: (.*)$/.exec(runtime ?? diagnostic ?? '');
  if (found) return { code: found[1]!, message: found[2]!.trim() };
  const internal = lines.find((l) => l.startsWith('gnet: internal error: '));
  const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const why = internal ? `: ${internal.slice('gnet: '.length)}` : '';
  return { code: EXPERIMENT_ERRORS.cellFailed, message: `gnet ${stage} ${how}${why}; see cell.log in the run directory` };
}
