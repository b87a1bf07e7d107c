import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from './plan.js';
import { type TrainSize, sizeLabel } from './request.js';

/**
 * A cell is one (network, training-set size, seed) of the grid, and an ordinary `gnet train` run
 * directory at DIR/runs/<Network>/n<size|all>/seed<k>/. Besides the run's own files it holds
 *   subset.json  the training images its run draws: count per class and a hash of their indices,
 *                which DIR/subsets/<hash>.json lists (the same file for every network of a size and seed)
 *   cell.json    the plan's key of the settings its run was started with (plan.ts `cellKey`)
 *   cell.log     the stderr of every process gnet started for it (train, eval)
 *   test.json    the test split evaluated once (final weights, or the best checkpoint with early_stop): the cell is complete
 *   failed.json  why it failed (exit code, the error's code and message, the log's tail)
 */
export interface Cell {
  readonly network: string;
  readonly size: TrainSize;
  readonly seed: number;
}

export const TEST_FILE = 'test.json';
export const FAILED_FILE = 'failed.json';
export const CELL_LOG = 'cell.log';
export const SUBSET_FILE = 'subset.json';
export const CELL_FILE = 'cell.json';

/**
 * The key a run in `dir` was started with: test.json's for a complete run, else cell.json's;
 * undefined when neither says (a run started before cell.json existed counts as current).
 */
export function startedKey(dir: string): string | undefined {
  return readJsonIfThere<TestRecord>(join(dir, TEST_FILE))?.cellKey ?? readJsonIfThere<{ cellKey: string }>(join(dir, CELL_FILE))?.cellKey;
}

/** test.json: the cell's result. */
export interface TestRecord {
  readonly format: 'gnet-experiment-test';
  readonly version: 1;
  readonly network: string;
  readonly trainSize: TrainSize;
  readonly seed: number;
  /** The plan's key of this network's cells when it was trained (plan.ts `cellKey`). */
  readonly cellKey: string;
  readonly split: 'test';
  /** The data source as gnet names it, e.g. "Fashion-MNIST (/usr/share/datasets/fashion-mnist)". */
  readonly data: string;
  /** Test images evaluated. */
  readonly images: number;
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number | readonly (number | null)[] | null>>;
  /** Which weights: `model` (the final epoch's), or `best` (the best checkpoint of a run with `early_stop`). */
  readonly checkpoint: string;
  /** The backend the run trained and was tested on (absent in older records). */
  readonly backend?: string;
  /** Epochs trained (log.jsonl's, over every resume; absent in older records). */
  readonly epochs?: number;
  /** Training images the run drew (data.json's trainCount). */
  readonly trainImages: number | null;
  /** Seconds of training (the epochs of log.jsonl, over every resume) and of the test evaluation. */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  readonly finishedAt: string;
}

/** failed.json: a cell that did not finish. */
export interface FailureRecord {
  readonly format: 'gnet-experiment-failure';
  readonly version: 1;
  readonly network: string;
  readonly trainSize: TrainSize;
  readonly seed: number;
  readonly stage: 'train' | 'eval';
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The gnet error code the process printed (GN1010 when it printed none). */
  readonly code: string;
  readonly message: string;
  /** The last lines of cell.log. */
  readonly logTail: readonly string[];
  readonly failedAt: string;
}

export type CellState =
  | { readonly status: 'complete'; readonly test: TestRecord }
  | { readonly status: 'failed'; readonly failure: FailureRecord }
  /** Training started (config.json exists) but did not finish: continued with --resume. */
  | { readonly status: 'partial' }
  | { readonly status: 'pending' };

/** Grid order: sizes ascending, then seeds, then networks, so the small columns fill up first. */
export function cellsOf(plan: Pick<ExperimentPlan, 'networks' | 'trainSizes' | 'seeds'>): Cell[] {
  return plan.trainSizes.flatMap((size) => Array.from({ length: plan.seeds }, (_, i) => i + 1).flatMap((seed) => plan.networks.map((n) => ({ network: n.name, size, seed }))));
}

export function cellDir(out: string, cell: Cell): string {
  return join(out, 'runs', cell.network, sizeLabel(cell.size), `seed${cell.seed}`);
}

/** The same path relative to DIR, with forward slashes, for links in the results. */
export function cellLink(cell: Cell): string {
  return ['runs', cell.network, sizeLabel(cell.size), `seed${cell.seed}`].join('/');
}

export const cellName = (cell: Cell): string => `${cell.network} ${sizeLabel(cell.size)} seed${cell.seed}`;

export function cellState(dir: string): CellState {
  const test = readJsonIfThere<TestRecord>(join(dir, TEST_FILE));
  if (test) return { status: 'complete', test };
  const failure = readJsonIfThere<FailureRecord>(join(dir, FAILED_FILE));
  if (failure) return { status: 'failed', failure };
  return existsSync(join(dir, 'config.json')) ? { status: 'partial' } : { status: 'pending' };
}

/** A file a killed process half wrote reads as absent (every file here is written atomically, so that is rare). */
function readJsonIfThere<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
