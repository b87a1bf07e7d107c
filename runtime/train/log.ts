import { TRAIN_ERRORS, trainError } from './codes.js';
import { type FileSystem, NODE_FS, appendLine, writeFileAtomic } from './files.js';
import type { MetricValues } from './metrics.js';

/** One line of log.jsonl: an epoch's training loss and metrics, validation results, rate and speed. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Optimiser steps taken by the end of this epoch. */
  readonly step: number;
  readonly loss: number;
  readonly metrics: MetricValues;
  readonly validation: { readonly loss: number; readonly metrics: MetricValues } | null;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** On the epoch after which early stopping ended the run: why. */
  readonly earlyStop?: string;
}

export function appendEpoch(path: string, record: EpochRecord, io: FileSystem = NODE_FS): void {
  appendLine(path, JSON.stringify(record), io);
}

/** Replaces the log with exactly `history` (on resume: the epochs the checkpoint has seen, no more, no fewer). */
export function rewriteLog(path: string, history: readonly EpochRecord[], io: FileSystem = NODE_FS): void {
  writeFileAtomic(path, history.map((r) => `${JSON.stringify(r)}\n`).join(''), io);
}

export function readLog(path: string, io: FileSystem = NODE_FS): EpochRecord[] {
  if (!io.existsSync(path)) return [];
  const lines = io.readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as EpochRecord;
    } catch {
      throw trainError(TRAIN_ERRORS.badCheckpoint, `line ${i + 1} of ${path} is not JSON; remove that line or the whole log`);
    }
  });
}
