import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import { type FileSystem, NODE_FS, TEMP_MARK, fileError, makeFolder, removeQuietly, writeFileAtomic } from './files.js';
import type { EpochRecord } from './log.js';
import type { Confusion } from './metrics.js';
import { architectureHash, type ModelMeta, type Weights } from './model.js';
import type { NamedVariable, TrainOptimizer } from './optimizers.js';

/**
 * A checkpoint is two files in RUNDIR/checkpoint: the numbers (weights-<step>-<stamp>.bin: model
 * weights, then optimiser slots, as tf.io.encodeWeights lays them out) and checkpoint.json, which
 * names that file with its SHA-256 and holds everything else. checkpoint.json is written last and
 * atomically, so it always names a complete .bin; older .bin files are removed only afterwards.
 */
export const MANIFEST_FILE = 'checkpoint.json';
const FORMAT = 'gnet-checkpoint';
const VERSION = 1;
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
  readonly weights: readonly tf.io.WeightsManifestEntry[];
  readonly optimizerSlots: readonly tf.io.WeightsManifestEntry[];
}

export interface CheckpointState {
  readonly meta: ModelMeta;
  readonly weights: Weights;
  readonly optimizer: TrainOptimizer;
  readonly trainable: readonly NamedVariable[];
  readonly position: TrainingPosition;
  readonly seed: number;
}

export async function saveCheckpoint(folder: string, state: CheckpointState, io: FileSystem = NODE_FS): Promise<CheckpointManifest> {
  const { meta, weights, optimizer, trainable, position } = state;
  const slots = await optimizer.saveState(trainable);
  const named = [...meta.weights.map((w) => ({ name: w.name, tensor: weights[w.name]! })), ...slots.map((s) => ({ name: OPTIMIZER_PREFIX + s.name, tensor: s.tensor }))];
  const { data, specs } = await tf.io.encodeWeights(named).finally(() => tf.dispose(slots.map((s) => s.tensor)));
  const bytes = new Uint8Array(data);
  makeFolder(folder, io);
  sweepTemporaryFiles(folder, io);
  const weightsFile = `weights-${position.step}-${Date.now().toString(36)}.bin`;
  writeFileAtomic(join(folder, weightsFile), bytes, io);
  const manifest: CheckpointManifest = {
    format: FORMAT,
    version: VERSION,
    network: meta.network,
    architecture: architectureHash(meta),
    savedAt: new Date().toISOString(),
    position,
    rng: { seed: state.seed, epoch: position.epoch, step: position.step },
    learningRate: optimizer.learningRate,
    weightsFile,
    sha256: sha256(bytes),
    bytes: bytes.length,
    weights: specs.slice(0, meta.weights.length),
    optimizerSlots: specs.slice(meta.weights.length).map((s) => ({ ...s, name: s.name.slice(OPTIMIZER_PREFIX.length) })),
  };
  writeFileAtomic(join(folder, MANIFEST_FILE), JSON.stringify(manifest, null, 1), io);
  removeStaleWeights(folder, weightsFile, io);
  return manifest;
}

export interface LoadedCheckpoint {
  readonly manifest: CheckpointManifest;
  /** Model weights by name; the caller disposes them after assigning. */
  readonly weights: tf.NamedTensorMap;
  readonly optimizerSlots: NamedTensor[];
}

/** Reads and verifies a checkpoint; `meta` is the network it must belong to. */
export function loadCheckpoint(folder: string, meta: ModelMeta, io: FileSystem = NODE_FS): LoadedCheckpoint {
  const manifest = readManifest(folder, io);
  checkSameNetwork(manifest, meta, folder);
  const path = join(folder, manifest.weightsFile);
  if (!io.existsSync(path)) throw trainError(TRAIN_ERRORS.badCheckpoint, `checkpoint ${folder} names ${manifest.weightsFile}, which is missing; resume from an intact run directory`);
  const bytes = io.readFileSync(path);
  if (bytes.length !== manifest.bytes || sha256(bytes) !== manifest.sha256) {
    throw trainError(TRAIN_ERRORS.badCheckpoint, `checkpoint file ${path} is damaged (its size or SHA-256 differs from ${MANIFEST_FILE}); resume from an intact run directory`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const all = tf.io.decodeWeights(buffer, [...manifest.weights, ...manifest.optimizerSlots.map((s) => ({ ...s, name: OPTIMIZER_PREFIX + s.name }))]);
  const weights = Object.fromEntries(manifest.weights.map((w) => [w.name, all[w.name]!]));
  const optimizerSlots = manifest.optimizerSlots.map((s) => ({ name: s.name, tensor: all[OPTIMIZER_PREFIX + s.name]! }));
  return { manifest, weights, optimizerSlots };
}

export function hasCheckpoint(folder: string, io: FileSystem = NODE_FS): boolean {
  return io.existsSync(join(folder, MANIFEST_FILE));
}

export function readManifest(folder: string, io: FileSystem = NODE_FS): CheckpointManifest {
  const path = join(folder, MANIFEST_FILE);
  if (!io.existsSync(path)) throw trainError(TRAIN_ERRORS.notARun, `no checkpoint in ${folder} (${MANIFEST_FILE} is missing); pass the run directory that \`gnet train --out\` wrote`);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(io.readFileSync(path, 'utf8')) as CheckpointManifest;
  } catch (error) {
    throw error instanceof SyntaxError ? trainError(TRAIN_ERRORS.badCheckpoint, `${path} is not valid JSON (${error.message}); resume from an intact run directory`) : fileError(error, `read ${path}`);
  }
  if (manifest?.format !== FORMAT || manifest.version !== VERSION) {
    throw trainError(TRAIN_ERRORS.badCheckpoint, `${path} is not a gnet checkpoint of version ${VERSION}; resume from a run directory written by this gnet`);
  }
  return manifest;
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

function removeStaleWeights(folder: string, current: string, io: FileSystem): void {
  for (const name of io.readdirSync(folder)) if (/^weights-.*\.bin$/.test(name) && name !== current) removeQuietly(join(folder, name), io);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
