import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../train/files.js';
import { EXPERIMENT_ERRORS, experimentError } from './codes.js';
import type { CellTrainFlags, TrainSize } from './request.js';

/**
 * DIR/experiment.json: what the experiment is (files and their content hash, networks with their
 * parameter counts, sizes, seeds, every training setting). Rerunning the same command finds the
 * same plan and continues; a different plan is refused unless --resume, and then the cells that
 * still belong to it are kept.
 */
export const PLAN_FILE = 'experiment.json';

export interface NetworkPlan {
  readonly name: string;
  /** Absolute path of the spec file that defines it. */
  readonly file: string;
  /** As `gnet report` counts them. */
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Multiply-adds of one image. */
  readonly macs: number;
  /** The metrics its runs compute (the train section's, or --metrics). */
  readonly metrics: readonly string[];
  /** The data source its runs train on. */
  readonly data: string;
}

export interface ExperimentPlan {
  readonly format: 'gnet-experiment';
  readonly version: 1;
  /** gnet's version that wrote the plan. */
  readonly gnet: string;
  readonly createdAt: string;
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  readonly networks: readonly NetworkPlan[];
  /** --data for every cell; null: each spec's train.data. */
  readonly data: string | null;
  readonly trainSizes: readonly TrainSize[];
  readonly seeds: number;
  readonly train: CellTrainFlags;
  /** Train flags per training-set size over `train` (size as written → flags); absent when the experiment gives none. */
  readonly trainBySize?: Readonly<Record<string, CellTrainFlags>>;
  readonly backend: string;
  readonly workers: number | null;
  /** torch backend: --device. */
  readonly device: string | null;
  /** The metric of the results table. */
  readonly metric: string;
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function fileHash(path: string): string {
  return sha256(readFileSync(path));
}

export function readPlan(out: string): ExperimentPlan | undefined {
  const path = join(out, PLAN_FILE);
  if (!existsSync(path)) return undefined;
  let plan: ExperimentPlan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as ExperimentPlan;
  } catch (error) {
    throw experimentError(EXPERIMENT_ERRORS.notAnExperiment, `${path} is not valid JSON (${(error as Error).message}); restore it, or choose another --out`);
  }
  if (plan.format !== 'gnet-experiment') throw experimentError(EXPERIMENT_ERRORS.notAnExperiment, `${path} is not a gnet experiment plan; choose another --out`);
  return plan;
}

export function writePlan(out: string, plan: ExperimentPlan): void {
  writeFileAtomic(join(out, PLAN_FILE), `${JSON.stringify(plan, null, 2)}\n`);
}

/** The train flags of a size's runs: the plan's, under that size's own row. */
export const planTrainOfSize = (plan: Pick<ExperimentPlan, 'train' | 'trainBySize'>, size: TrainSize): CellTrainFlags => ({ ...plan.train, ...plan.trainBySize?.[String(size)] });

/**
 * The key of a network's cells of one size: what its runs were trained with besides size and seed. A
 * complete cell whose key differs from the plan's was trained under other settings and is run again.
 */
export function cellKey(plan: ExperimentPlan, network: string, size: TrainSize): string {
  const net = plan.networks.find((n) => n.name === network)!;
  const file = plan.files.find((f) => f.path === net.file);
  return sha256(JSON.stringify({ network, file: file?.sha256, data: net.data, train: planTrainOfSize(plan, size), backend: plan.backend, workers: plan.workers, device: plan.device })).slice(0, 16);
}

/** What differs between two plans, one phrase each ("seeds 2 → 3"); empty: the same experiment. */
export function planDifferences(before: ExperimentPlan, after: ExperimentPlan): string[] {
  const out: string[] = [];
  const names = (p: ExperimentPlan) => p.networks.map((n) => n.name);
  const added = names(after).filter((n) => !names(before).includes(n));
  const removed = names(before).filter((n) => !names(after).includes(n));
  if (added.length) out.push(`networks added: ${added.join(', ')}`);
  if (removed.length) out.push(`networks removed: ${removed.join(', ')}`);
  if (added.length === 0 && removed.length === 0 && names(before).join() !== names(after).join()) out.push(`network order ${names(before).join(', ')} → ${names(after).join(', ')}`);
  for (const file of after.files) {
    const old = before.files.find((f) => f.path === file.path);
    if (old && old.sha256 !== file.sha256) out.push(`${file.path} changed since the experiment started`);
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(before.trainSizes, after.trainSizes)) out.push(`training-set sizes ${before.trainSizes.join(',')} → ${after.trainSizes.join(',')}`);
  if (before.seeds !== after.seeds) out.push(`seeds ${before.seeds} → ${after.seeds}`);
  if (before.data !== after.data) out.push(`data ${before.data ?? "the specs' own"} → ${after.data ?? "the specs' own"}`);
  if (!same(before.train, after.train)) out.push(`training settings ${JSON.stringify(before.train)} → ${JSON.stringify(after.train)}`);
  if (!same(before.trainBySize ?? {}, after.trainBySize ?? {})) out.push(`settings per training-set size ${JSON.stringify(before.trainBySize ?? {})} → ${JSON.stringify(after.trainBySize ?? {})}`);
  if (before.backend !== after.backend) out.push(`backend ${before.backend} → ${after.backend}`);
  if ((before.device ?? null) !== after.device) out.push(`device ${before.device ?? 'default'} → ${after.device ?? 'default'}`);
  if (before.workers !== after.workers) out.push(`workers ${before.workers ?? 1} → ${after.workers ?? 1}`);
  if (before.metric !== after.metric) out.push(`metric ${before.metric} → ${after.metric}`);
  return out;
}
