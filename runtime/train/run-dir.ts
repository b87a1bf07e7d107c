import { join } from 'node:path';
import { hasCheckpoint } from './checkpoint.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import type { TrainConfig } from './config.js';
import { type FileSystem, NODE_FS, fileError, makeFolder, writeFileAtomic } from './files.js';

/**
 * A run directory holds everything about one training run, so eval, predict, export and --resume
 * need nothing else:
 *   config.json        the resolved configuration (spec, network, parameters, backend, training)
 *   sources.json       the spec's source files as they were when training started
 *   data.json          what the data source held (counts, class names)
 *   log.jsonl          one line per epoch
 *   checkpoint/        the newest checkpoints and the best one (checkpoint.ts)
 *   train.lock         while a process trains here: its PID and host (run-lock.ts)
 *   model/             the final model in gnet's own format (export.ts; `gnet export` converts it)
 *   report.html        curves, parameter table, learned kernels, sample predictions
 */
export interface RunPaths {
  readonly root: string;
  readonly config: string;
  readonly sources: string;
  readonly data: string;
  readonly log: string;
  readonly checkpoint: string;
  readonly model: string;
  readonly report: string;
}

export function runPaths(root: string): RunPaths {
  return {
    root,
    config: join(root, 'config.json'),
    sources: join(root, 'sources.json'),
    data: join(root, 'data.json'),
    log: join(root, 'log.jsonl'),
    checkpoint: join(root, 'checkpoint'),
    model: join(root, 'model'),
    report: join(root, 'report.html'),
  };
}

export interface RunRecord {
  readonly format: 'gnet-run';
  readonly version: 1;
  readonly createdAt: string;
  readonly spec: { readonly file: string; readonly network: string; readonly params: Readonly<Record<string, number | string>> };
  readonly backend: string;
  /** What the backend runs on: the WebGPU adapter, wasm's SIMD and threads, the processor (absent in older runs). */
  readonly device?: string;
  readonly train: TrainConfig;
}

/** The spec's files by absolute path, and which one is the entry. */
export interface SourceSnapshot {
  readonly entry: string;
  readonly files: Readonly<Record<string, string>>;
}

/** Creates the directory and writes config.json and sources.json; refuses a directory that already holds a run. */
export function createRun(root: string, record: RunRecord, sources: SourceSnapshot, io: FileSystem = NODE_FS): RunPaths {
  const paths = runPaths(root);
  if (io.existsSync(paths.config)) {
    const how = hasCheckpoint(paths.checkpoint, io)
      ? `continue it with --resume ${root}`
      : `it stopped before its first checkpoint: --resume ${root} starts it again from epoch 1 with its saved configuration`;
    throw trainError(TRAIN_ERRORS.runExists, `${root} already holds a run; ${how}, or choose a new --out`);
  }
  makeFolder(root, io);
  writeFileAtomic(paths.sources, JSON.stringify(sources), io);
  writeFileAtomic(paths.config, JSON.stringify(record, null, 2), io);
  return paths;
}

/** Replaces config.json (on resume with more epochs). */
export function updateRun(paths: RunPaths, record: RunRecord, io: FileSystem = NODE_FS): void {
  writeFileAtomic(paths.config, JSON.stringify(record, null, 2), io);
}

export function openRun(root: string, io: FileSystem = NODE_FS): { paths: RunPaths; record: RunRecord; sources: SourceSnapshot } {
  const paths = runPaths(root);
  if (!io.existsSync(paths.config) || !io.existsSync(paths.sources)) {
    throw trainError(TRAIN_ERRORS.notARun, `${root} is not a run directory (config.json or sources.json is missing); pass a directory written by \`gnet train --out\``);
  }
  const record = readJson<RunRecord>(paths.config, io);
  if (record.format !== 'gnet-run') throw trainError(TRAIN_ERRORS.notARun, `${paths.config} is not a gnet run configuration; pass a directory written by \`gnet train --out\``);
  return { paths, record, sources: readJson<SourceSnapshot>(paths.sources, io) };
}

function readJson<T>(path: string, io: FileSystem): T {
  try {
    return JSON.parse(io.readFileSync(path, 'utf8')) as T;
  } catch (error) {
    if (error instanceof SyntaxError) throw trainError(TRAIN_ERRORS.badCheckpoint, `${path} is not valid JSON (${error.message}); restore it or start a new run`);
    throw fileError(error, `read ${path}`);
  }
}
