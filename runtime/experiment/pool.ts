import type { OpenedData } from '../data/source.js';
import { splitSamples } from '../data/split.js';
import type { TrainConfig } from '../train/config.js';
import { openTrainingData } from '../train/run-training.js';
import type { TaskInfo } from '../train/targets.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import type { TrainSize } from './request.js';
import { sha256 } from './plan.js';

/**
 * The training pool a network's runs draw from, opened once before anything trains: it must have a
 * test split (the source's own test set: Fashion-MNIST's t10k files, mnist:DIR's t10k-* files,
 * folder:DIR's test/ folder, synthetic-cells' N/5 extra images), and room for every training size.
 */
export interface Pool {
  readonly source: string;
  /** Images in the training pool, and what is left for training after validation is held out. */
  readonly count: number;
  readonly available: number;
  readonly testCount: number;
  readonly data: OpenedData;
  readonly validationSplit: number;
}

export function openPool(config: TrainConfig, task: TaskInfo, network: string): Pool {
  const data = openTrainingData({ ...config, trainSize: null, seed: 1 }, task);
  const { info } = data;
  if (!data.test || data.test.size === 0) {
    throw experimentError(EXPERIMENT_ERRORS.badSetup, `${info.source} (the data of network ${network}) has no test split to evaluate on; give a source with one (mnist:DIR with t10k-* files, folder:DIR with a test/ folder, fashion-mnist, synthetic-cells)`);
  }
  return { source: info.source, count: info.count, available: info.trainCount, testCount: info.testCount, data, validationSplit: config.validationSplit };
}

/** The --train-size a cell's run gets; refuses a size larger than the pool. */
export function trainCount(pool: Pool, size: TrainSize, network: string): number {
  if (size === 'all') return pool.available;
  if (size > pool.available) {
    const held = pool.count - pool.available;
    const after = held > 0 ? ` after ${held} are held out for validation (--validation-split ${pool.validationSplit})` : '';
    throw experimentError(EXPERIMENT_ERRORS.badTrainSize, `training size ${size} is larger than the ${pool.available} training images of ${pool.source}${after} (network ${network}); choose sizes up to ${pool.available}, or all`);
  }
  return size;
}

/** The training subset of (size, seed), drawn exactly as `gnet train --train-size --seed` draws it. */
export interface Subset {
  readonly trainSize: TrainSize;
  readonly seed: number;
  readonly data: string;
  readonly validationSplit: number;
  readonly count: number;
  /** Images per class (classification). */
  readonly perClass: Readonly<Record<string, number>> | null;
  /** sha256 of the indices (comma-separated, ascending) into the training pool. */
  readonly sha256: string;
  readonly indices: readonly number[];
}

export function drawSubset(pool: Pool, size: TrainSize, seed: number, network: string): Subset {
  const samples = pool.data.samples;
  const count = samples.kind === 'images' ? samples.pool.count : samples.pool.volumes.length;
  const classOf = samples.kind === 'images' && samples.pool.task === 'classification' ? samples.pool.labels : undefined;
  const split = splitSamples({ count, classOf, validationSplit: pool.validationSplit, trainSize: trainCount(pool, size, network), seed });
  const indices = Array.from(split.train);
  let perClass: Record<string, number> | null = null;
  if (classOf) {
    perClass = {};
    for (const i of indices) perClass[classOf[i]!] = (perClass[classOf[i]!] ?? 0) + 1;
  }
  return { trainSize: size, seed, data: pool.source, validationSplit: pool.validationSplit, count: indices.length, perClass, sha256: sha256(indices.join(',')), indices };
}

/**
 * Writes DIR/subsets/<sha256>.json (the subset with its indices, once per distinct subset) and
 * returns what the cell's subset.json holds: the same without the indices, and where they are.
 */
export function recordSubset(out: string, subset: Subset): Omit<Subset, 'indices'> & { readonly indices: string } {
  const file = `subsets/${subset.sha256}.json`;
  const path = join(out, file);
  if (!existsSync(path)) {
    mkdirSync(join(out, 'subsets'), { recursive: true });
    writeFileAtomic(path, JSON.stringify(subset));
  }
  const { indices: _, ...rest } = subset;
  return { ...rest, indices: file };
}
