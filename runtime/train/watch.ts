import type { EpochRecord } from './log.js';

/**
 * The watched metric of a run: which checkpoint is "best" (--keep-best) and when to stop early
 * (--early-stop). Accuracy, mIoU and dice are better higher, the loss lower. The value is the
 * epoch's validation value, or the training value when the run has no validation set. Both are
 * worked out again from the epoch history, so a resumed run keeps its best and its patience count.
 */
export const WATCHABLE = ['loss', 'accuracy', 'miou', 'dice'] as const;
export type WatchedMetric = (typeof WATCHABLE)[number];

export const betterIsHigher = (metric: WatchedMetric): boolean => metric !== 'loss';

/** The epoch's value of `metric`: validation when there is a validation set, else training. */
export function watchedValue(record: EpochRecord, metric: WatchedMetric): number | undefined {
  const source = record.validation ?? record;
  const value = metric === 'loss' ? source.loss : source.metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** "val accuracy" or "accuracy" (training value), as messages name it. */
export const watchedName = (record: EpochRecord | undefined, metric: WatchedMetric): string => (record?.validation ? `val ${metric}` : metric);

/** Whether `value` beats `best` by more than `minDelta` (strictly: a tie keeps the earlier epoch). */
export function improves(value: number, best: number | undefined, metric: WatchedMetric, minDelta = 0): boolean {
  if (best === undefined) return true;
  return betterIsHigher(metric) ? value - minDelta > best : value + minDelta < best;
}

export interface EarlyStopState {
  /** 1-based epoch of the best value, 0 before any epoch. */
  readonly bestEpoch: number;
  readonly best: number | undefined;
  /** Epochs since the last improvement by more than min_delta (Keras' `wait`). */
  readonly wait: number;
}

/** Replays Keras' EarlyStopping over the history: an epoch improves if it beats the best by more than minDelta. */
export function earlyStopState(history: readonly EpochRecord[], metric: WatchedMetric, minDelta: number): EarlyStopState {
  let state: EarlyStopState = { bestEpoch: 0, best: undefined, wait: 0 };
  for (const record of history) {
    const value = watchedValue(record, metric);
    state = value !== undefined && improves(value, state.best, metric, minDelta) ? { bestEpoch: record.epoch, best: value, wait: 0 } : { ...state, wait: state.wait + 1 };
  }
  return state;
}

/** The epoch-end stop reason when patience has run out, in words; undefined to train on. */
export function earlyStopReason(history: readonly EpochRecord[], metric: WatchedMetric, patience: number, minDelta: number): string | undefined {
  const state = earlyStopState(history, metric, minDelta);
  if (history.length === 0 || state.wait < patience) return undefined;
  const name = watchedName(history.at(-1), metric);
  const best = state.best === undefined ? 'no finite value yet' : `best ${state.best.toFixed(4)} at epoch ${state.bestEpoch}`;
  return `${name} has not improved by more than ${minDelta} for ${state.wait} epoch${state.wait === 1 ? '' : 's'} (${best}; patience ${patience})`;
}
