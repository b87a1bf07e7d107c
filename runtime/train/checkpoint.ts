import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { type ArraySpec, decodeArrays, encodeArrays } from './arrays.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import type { EngineState } from './engine.js';
import { type FileSystem, NODE_FS, TEMP_MARK, fileError, makeFolder, removeQuietly, writeFileAtomic } from './files.js';
import type { EpochRecord } from './log.js';
import type { Confusion } from './metrics.js';
import { architectureHash, type ModelMeta } from './model.js';
import { improves, watchedValue, type WatchedMetric } from './watch.js';

/**
 * RUNDIR/checkpoint holds the last K checkpoints (--keep-checkpoints, default 2) and the best one by
 * the watched metric (--keep-best). Each is two files: the numbers (step-<step>-<stamp>.bin: model
 * weights, then optimiser slots, as tf.io.encodeWeights lays them out) and its manifest
 * step-<step>.json, which names that file with its SHA-256 and holds everything else. The manifest is
 * written last and atomically, so every manifest names a complete .bin and a crash never leaves a
 * half-written checkpoint as the newest; older checkpoints are removed only afterwards. The newest is
 * the one of the highest step; when it is damaged, loading falls back to the one before.
 */
const FORMAT = 'gnet-checkpoint';
const VERSION = 1;
/** The single manifest of runs written before checkpoints were kept by step; still read. */
const LEGACY_MANIFEST = 'checkpoint.json';
/** Suffix of a damaged checkpoint set aside on resume (kept for a look, never loaded again). */
export const DAMAGED_MARK = '.damaged';
export const manifestName = (step: number): string => `step-${String(step).padStart(9, '0')}.json`;
const MANIFEST_PATTERN = /^step-(\d+)\.json$/;
const WEIGHTS_PATTERN = /^(step|weights)-.*\.bin$/;
const OPTIMIZER_PREFIX = 'optimizer/';

/** Running sums of the epoch in progress, so a resumed epoch logs what an uninterrupted one would. */
export interface EpochProgress {
  readonly lossSum: number;
  readonly batches: number;
  readonly images: number;
  readonly seconds: number;
  readonly confusion: Confusion;
}

/** Where training stands: completed epochs, optimiser steps, and the steps done in the current epoch. */
export interface TrainingPosition {
  readonly epoch: number;
  readonly step: number;
  readonly stepInEpoch: number;
  readonly partial: EpochProgress | null;
  readonly history: readonly EpochRecord[];
}

export interface CheckpointManifest {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly network: string;
  readonly architecture: string;
  readonly savedAt: string;
  readonly position: TrainingPosition;
  /** Every random draw is keyed by (seed, epoch, step), so these three are the whole random state. */
  readonly rng: { readonly seed: number; readonly epoch: number; readonly step: number };
  readonly learningRate: number;
  readonly weightsFile: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly weights: readonly ArraySpec[];
  readonly optimizerSlots: readonly ArraySpec[];
}

export interface CheckpointState {
  readonly meta: ModelMeta;
  /** Weights and optimiser slots from the engine; checked against `meta` before anything is written. */
  readonly state: EngineState;
  readonly position: TrainingPosition;
  readonly seed: number;
}

/** Which checkpoints a save keeps: the `keep` newest, and the best by `watch` among those saved at an epoch's end. */
export interface KeepPolicy {
  readonly keep: number;
  readonly watch: WatchedMetric | null;
}

export const KEEP_NEWEST = 2;

export async function saveCheckpoint(folder: string, checkpoint: CheckpointState, io: FileSystem = NODE_FS, policy: KeepPolicy = { keep: KEEP_NEWEST, watch: null }): Promise<CheckpointManifest> {
  const { meta, state, position } = checkpoint;
  checkWeightsMatch(state, meta);
  const { bytes, specs } = encodeArrays([...state.weights, ...state.slots.map((s) => ({ ...s, name: OPTIMIZER_PREFIX + s.name }))]);
  makeFolder(folder, io);
  sweepTemporaryFiles(folder, io);
  const weightsFile = `step-${position.step}-${Date.now().toString(36)}.bin`;
  writeFileAtomic(join(folder, weightsFile), bytes, io);
  const manifest: CheckpointManifest = {
    format: FORMAT,
    version: VERSION,
    network: meta.network,
    architecture: architectureHash(meta),
    savedAt: new Date().toISOString(),
    position,
    rng: { seed: checkpoint.seed, epoch: position.epoch, step: position.step },
    learningRate: state.learningRate,
    weightsFile,
    sha256: sha256(bytes),
    bytes: bytes.length,
    weights: specs.slice(0, state.weights.length),
    optimizerSlots: specs.slice(state.weights.length).map((s) => ({ ...s, name: s.name.slice(OPTIMIZER_PREFIX.length) })),
  };
  writeFileAtomic(join(folder, manifestName(position.step)), JSON.stringify(manifest, null, 1), io);
  prune(folder, policy, io);
  return manifest;
}

/** An engine handing over other weights than the network's is a bug, never a checkpoint. */
function checkWeightsMatch(state: EngineState, meta: ModelMeta): void {
  const names = state.weights.map((w) => w.name).join();
  if (names !== meta.weights.map((w) => w.name).join()) throw new Error(`engine state holds weights ${names}, not the network's`);
}

/** One checkpoint found in the folder: its manifest file, and the manifest if it reads as one. */
export interface CheckpointEntry {
  readonly file: string;
  readonly step: number;
  readonly manifest: CheckpointManifest | undefined;
  /** Why the manifest does not read, when it does not. */
  readonly problem: string | undefined;
}

/** Every checkpoint manifest in the folder, newest (highest step) first; damaged ones included. */
export function listCheckpoints(folder: string, io: FileSystem = NODE_FS): CheckpointEntry[] {
  if (!io.existsSync(folder)) return [];
  const entries: CheckpointEntry[] = [];
  for (const file of io.readdirSync(folder)) {
    const numbered = MANIFEST_PATTERN.exec(file);
    if (!numbered && file !== LEGACY_MANIFEST) continue;
    const read = readManifestFile(join(folder, file), io);
    const step = numbered ? Number(numbered[1]) : (read.manifest?.position.step ?? -1);
    entries.push({ file, step, ...read });
  }
  return entries.sort((a, b) => b.step - a.step);
}

export function hasCheckpoint(folder: string, io: FileSystem = NODE_FS): boolean {
  return listCheckpoints(folder, io).length > 0;
}

export interface LoadedCheckpoint {
  readonly manifest: CheckpointManifest;
  /** The manifest file it was loaded from. */
  readonly file: string;
  /** Weights and optimiser slots, as an engine takes them in. */
  readonly state: EngineState;
  /** Newer checkpoints that were damaged and passed over, with the reason. */
  readonly skipped: readonly { readonly file: string; readonly problem: string }[];
}

/**
 * Reads and verifies the newest intact checkpoint, passing over damaged newer ones (listed in
 * `skipped`); `meta` is the network it must belong to. Only reads: nothing in the folder changes.
 */
export function loadCheckpoint(folder: string, meta: ModelMeta, io: FileSystem = NODE_FS): LoadedCheckpoint {
  const entries = listCheckpoints(folder, io);
  if (entries.length === 0) throw trainError(TRAIN_ERRORS.notARun, `no checkpoint in ${folder}; pass the run directory that \`gnet train --out\` wrote`);
  const skipped: { file: string; problem: string }[] = [];
  for (const entry of entries) {
    const problem = entry.problem ?? weightsProblem(folder, entry.manifest!, io);
    if (problem !== undefined) {
      skipped.push({ file: entry.file, problem });
      continue;
    }
    checkSameNetwork(entry.manifest!, meta, folder);
    return { ...decode(folder, entry.manifest!, io), file: entry.file, skipped };
  }
  const problems = skipped.map((s) => `${s.file}: ${s.problem}`).join('; ');
  const run = dirname(folder);
  throw trainError(
    TRAIN_ERRORS.badCheckpoint,
    `no intact checkpoint in ${folder} (${problems}); to train the run again from its start with its saved configuration, move ${folder} aside and run \`gnet train SPEC --resume ${run}\``,
  );
}

/** Reads and verifies the checkpoint of one manifest file (no fallback): `gnet eval --checkpoint best`. */
export function loadCheckpointFile(folder: string, file: string, meta: ModelMeta, io: FileSystem = NODE_FS): LoadedCheckpoint {
  const entry = listCheckpoints(folder, io).find((e) => e.file === file);
  if (!entry) {
    const names = listCheckpoints(folder, io).map((e) => e.file);
    throw trainError(TRAIN_ERRORS.notARun, `there is no checkpoint ${file} in ${folder}; ${names.length > 0 ? `it holds ${names.join(', ')}` : 'it holds none'}`);
  }
  const problem = entry.problem ?? weightsProblem(folder, entry.manifest!, io);
  if (problem !== undefined) throw trainError(TRAIN_ERRORS.badCheckpoint, `checkpoint ${join(folder, file)} is damaged: ${problem}; choose another with --checkpoint`);
  checkSameNetwork(entry.manifest!, meta, folder);
  return { ...decode(folder, entry.manifest!, io), file, skipped: [] };
}

/** Renames damaged checkpoints (manifest and .bin) to *.damaged, so new saves and pruning never count them. */
export function setAsideDamaged(folder: string, files: readonly string[], io: FileSystem = NODE_FS): void {
  for (const file of files) {
    const manifest = readManifestFile(join(folder, file), io).manifest;
    for (const name of [file, manifest?.weightsFile]) {
      if (name === undefined || !io.existsSync(join(folder, name))) continue;
      try {
        io.renameSync(join(folder, name), join(folder, name + DAMAGED_MARK));
      } catch (error) {
        throw fileError(error, `set aside the damaged ${join(folder, name)}`);
      }
    }
  }
}

function decode(folder: string, manifest: CheckpointManifest, io: FileSystem): Omit<LoadedCheckpoint, 'file' | 'skipped'> {
  const bytes = io.readFileSync(join(folder, manifest.weightsFile));
  const arrays = decodeArrays(bytes, [...manifest.weights, ...manifest.optimizerSlots]);
  const weights = arrays.slice(0, manifest.weights.length);
  const slots = arrays.slice(manifest.weights.length);
  return { manifest, state: { weights, slots, learningRate: manifest.learningRate } };
}

/** Why the manifest's .bin cannot be used, or undefined when it is there with the right size and SHA-256. */
function weightsProblem(folder: string, manifest: CheckpointManifest, io: FileSystem): string | undefined {
  const path = join(folder, manifest.weightsFile);
  if (!io.existsSync(path)) return `its weights file ${manifest.weightsFile} is missing`;
  let bytes: Uint8Array;
  try {
    bytes = io.readFileSync(path);
  } catch (error) {
    throw fileError(error, `read ${path}`);
  }
  if (bytes.length !== manifest.bytes || sha256(bytes) !== manifest.sha256) return `${manifest.weightsFile} is damaged (its size or SHA-256 differs from the manifest)`;
  return undefined;
}

function readManifestFile(path: string, io: FileSystem): { manifest: CheckpointManifest | undefined; problem: string | undefined } {
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(io.readFileSync(path, 'utf8')) as CheckpointManifest;
  } catch (error) {
    if (error instanceof SyntaxError) return { manifest: undefined, problem: `not valid JSON (${error.message})` };
    throw fileError(error, `read ${path}`);
  }
  if (manifest?.format !== FORMAT || manifest.version !== VERSION) return { manifest: undefined, problem: `not a gnet checkpoint of version ${VERSION}` };
  return { manifest, problem: undefined };
}

/** The manifest of the newest checkpoint that reads (its .bin unchecked), for tests and tools. */
export function readManifest(folder: string, io: FileSystem = NODE_FS): CheckpointManifest {
  const entry = listCheckpoints(folder, io).find((e) => e.manifest);
  if (!entry) throw trainError(TRAIN_ERRORS.notARun, `no checkpoint in ${folder}; pass the run directory that \`gnet train --out\` wrote`);
  return entry.manifest!;
}

/** The epoch record of a checkpoint saved at an epoch's end (where a validation result exists), else undefined. */
export function epochEndRecord(manifest: CheckpointManifest): EpochRecord | undefined {
  const { position } = manifest;
  const atEnd = position.epoch > 0 && position.stepInEpoch === 0 && position.partial === null && position.history.length === position.epoch;
  return atEnd ? position.history.at(-1) : undefined;
}

/** The best checkpoint by `watch` among those saved at an epoch's end (the earliest of equals). */
export function bestCheckpoint(entries: readonly CheckpointEntry[], watch: WatchedMetric): CheckpointEntry | undefined {
  let best: { entry: CheckpointEntry; value: number } | undefined;
  for (const entry of [...entries].sort((a, b) => a.step - b.step)) {
    const record = entry.manifest && epochEndRecord(entry.manifest);
    const value = record && watchedValue(record, watch);
    if (value !== undefined && improves(value, best?.value, watch)) best = { entry, value };
  }
  return best?.entry;
}

/** Removes checkpoints beyond the `keep` newest and the best (manifest first, so no manifest ever names a missing file), then stray .bin files. */
function prune(folder: string, policy: KeepPolicy, io: FileSystem): void {
  const entries = listCheckpoints(folder, io);
  const best = policy.watch ? bestCheckpoint(entries, policy.watch) : undefined;
  const keep = Number.isInteger(policy.keep) && policy.keep >= 1 ? policy.keep : KEEP_NEWEST;
  const kept = new Set([...entries.slice(0, keep), ...(best ? [best] : [])]);
  for (const entry of entries) if (!kept.has(entry)) removeQuietly(join(folder, entry.file), io);
  const named = new Set([...kept].map((e) => e.manifest?.weightsFile));
  for (const name of io.readdirSync(folder)) if (WEIGHTS_PATTERN.test(name) && !named.has(name)) removeQuietly(join(folder, name), io);
}

function checkSameNetwork(manifest: CheckpointManifest, meta: ModelMeta, folder: string): void {
  if (manifest.architecture === architectureHash(meta)) return;
  throw trainError(TRAIN_ERRORS.specMismatch, `the checkpoint in ${folder} was made by another network: ${weightDifference(manifest, meta)}; resume with the spec it was trained from, or start a new run with another --out`);
}

/** The first difference between the checkpoint's weights and the network's, in words. */
export function weightDifference(manifest: Pick<CheckpointManifest, 'network' | 'weights'>, meta: ModelMeta): string {
  if (manifest.network !== meta.network) return `network ${manifest.network}, not ${meta.network}`;
  const saved = new Map(manifest.weights.map((w) => [w.name, w.shape]));
  for (const w of meta.weights) {
    const shape = saved.get(w.name);
    if (!shape) return `it has no weight ${w.name}`;
    if (shape.join() !== w.shape.join()) return `weight ${w.name} is [${shape.join(', ')}] there but [${w.shape.join(', ')}] in the spec`;
  }
  const extra = manifest.weights.find((w) => !meta.weights.some((m) => m.name === w.name));
  return extra ? `it has a weight ${extra.name} the spec does not` : 'the inputs, outputs or trainable weights differ';
}

function sweepTemporaryFiles(folder: string, io: FileSystem): void {
  for (const name of io.readdirSync(folder)) if (name.includes(TEMP_MARK)) removeQuietly(join(folder, name), io);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
