import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/types.js';
import { type CheckpointManifest, type EpochProgress, type LoadedCheckpoint, type TrainingPosition, KEEP_NEWEST, saveCheckpoint } from './checkpoint.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import type { TrainConfig } from './config.js';
import { evaluate } from './evaluate.js';
import { type FileSystem, NODE_FS } from './files.js';
import { type EpochRecord, appendEpoch, rewriteLog } from './log.js';
import { buildLoss } from './losses.js';
import { addToConfusion, computeMetrics, emptyConfusion, headlineMetric } from './metrics.js';
import type { TrainableModel, Weights } from './model.js';
import { type NamedVariable, type TrainOptimizer, createOptimizer } from './optimizers.js';
import type { RunPaths } from './run-dir.js';
import { learningRateAt } from './schedules.js';
import { Diverged } from './divergence.js';
import { trainStep, type StepContext } from './step.js';
import { describeTask, type TaskInfo } from './targets.js';
import { earlyStopReason } from './watch.js';

/** Where the loop reports to (the progress bar, or a test). */
export interface ProgressSink {
  start(at: { readonly epoch: number; readonly stepInEpoch: number; readonly epochs: number; readonly stepsPerEpoch: number }): void;
  step(at: { readonly epoch: number; readonly stepInEpoch: number; readonly step: number; readonly loss: number; readonly metric?: { name: string; value: number }; readonly imagesPerSecond: number; readonly lr: number }): void;
  epoch(record: EpochRecord): void;
  stop(): void;
}

export interface FitOptions {
  readonly model: TrainableModel;
  readonly config: TrainConfig;
  readonly data: { readonly train: Dataset; readonly validation: Dataset };
  readonly paths: RunPaths;
  /** A verified checkpoint to continue from. */
  readonly resume?: LoadedCheckpoint;
  /** Aborting stops after the current step, once a checkpoint is saved (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  readonly io?: FileSystem;
}

export interface FitResult {
  readonly status: 'completed' | 'interrupted';
  /** Set when early stopping ended the run (status 'completed'): the last epoch and why. */
  readonly earlyStop: EarlyStop | null;
  readonly weights: Weights;
  readonly task: TaskInfo;
  readonly position: TrainingPosition;
  readonly checkpoint: CheckpointManifest | undefined;
  /** Frees the weights (and nothing else is left behind). */
  dispose(): void;
}

/** Trains from scratch or from `resume` until config.epochs epochs are done or `signal` aborts. */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, config } = options;
  const { module, info } = model;
  const task = describeTask(module.meta, info.outputs, config.loss);
  const weights = module.createWeights(config.seed);
  const trainable = trainableVariables(model, weights);
  const optimizer = createOptimizer(config.optimizer, config);
  const ctx: StepContext = { module, weights, trainable, optimizer, loss: buildLoss(config.loss, task), task };
  try {
    const position = options.resume ? await restore(options.resume, weights, optimizer, trainable) : fresh();
    const session: Session = { ...options, io: options.io ?? NODE_FS, ctx, position, checkpoint: options.resume?.manifest, earlyStop: null };
    rewriteLog(options.paths.log, position.history, session.io);
    const status = await runEpochs(session);
    return { status, earlyStop: session.earlyStop, weights, task, position: session.position, checkpoint: session.checkpoint, dispose: () => tf.dispose(Object.values(weights)) };
  } catch (error) {
    tf.dispose(Object.values(weights));
    throw error;
  } finally {
    options.progress?.stop();
    optimizer.dispose();
  }
}

/** The state of a run in progress; `position` and `checkpoint` move forward as it trains. */
interface Session extends FitOptions {
  readonly io: FileSystem;
  readonly ctx: StepContext;
  position: TrainingPosition;
  checkpoint: CheckpointManifest | undefined;
  earlyStop: EarlyStop | null;
}

export interface EarlyStop {
  /** 1-based epoch after which training stopped. */
  readonly epoch: number;
  readonly reason: string;
}

async function save(session: Session): Promise<void> {
  const { ctx, config, paths, io } = session;
  const state = { meta: ctx.module.meta, weights: ctx.weights, optimizer: ctx.optimizer, trainable: ctx.trainable, position: session.position, seed: config.seed };
  session.checkpoint = await saveCheckpoint(paths.checkpoint, state, io, { keep: config.keepCheckpoints ?? KEEP_NEWEST, watch: config.keepBest ?? null });
}

/** Why patience has run out after `history`, when --early-stop is on and it has. */
function earlyStopAfter(config: TrainConfig, history: readonly EpochRecord[]): EarlyStop | null {
  if (config.earlyStop == null) return null;
  const reason = earlyStopReason(history, config.keepBest, config.earlyStop, config.minDelta);
  return reason === undefined ? null : { epoch: history.length, reason };
}

async function runEpochs(session: Session): Promise<FitResult['status']> {
  const { config, data, progress, signal } = session;
  const stepsPerEpoch = Math.ceil(data.train.size / config.batch);
  // A resumed run that had already stopped early stays stopped (its patience counter is in the history).
  session.earlyStop = session.position.stepInEpoch === 0 ? earlyStopAfter(config, session.position.history) : null;
  if (session.earlyStop) return 'completed';
  progress?.start({ epoch: session.position.epoch, stepInEpoch: session.position.stepInEpoch, epochs: config.epochs, stepsPerEpoch });
  for (let epoch = session.position.epoch; epoch < config.epochs; epoch++) {
    if ((await runEpoch(session, epoch, stepsPerEpoch)) === 'interrupted') return 'interrupted';
    const closed = await closeEpoch(session.ctx, config, data.validation, epoch, session.position.step, session.position.partial ?? freshEpoch(session.ctx.task.classes));
    session.earlyStop = earlyStopAfter(config, [...session.position.history, closed]);
    const record: EpochRecord = session.earlyStop ? { ...closed, earlyStop: session.earlyStop.reason } : closed;
    session.position = { epoch: epoch + 1, step: session.position.step, stepInEpoch: 0, partial: null, history: [...session.position.history, record] };
    await save(session);
    appendEpoch(session.paths.log, record, session.io);
    progress?.epoch(record);
    if (session.earlyStop) return 'completed';
    if (signal?.aborted && epoch + 1 < config.epochs) return 'interrupted';
  }
  return 'completed';
}

/** The steps of one epoch not yet taken (all of them, unless resuming mid-epoch). */
async function runEpoch(session: Session, epoch: number, stepsPerEpoch: number): Promise<'done' | 'interrupted'> {
  const { ctx, config, data, progress, signal } = session;
  const skip = session.position.stepInEpoch;
  const segmentation = ctx.task.task === 'segmentation';
  const totalSteps = stepsPerEpoch * config.epochs;
  let partial = session.position.partial ?? freshEpoch(ctx.task.classes);
  let index = 0;
  for (const batch of data.train.batches(config.batch, { shuffle: true, seed: config.seed, epoch, augment: config.augment })) {
    if (index++ < skip) continue;
    const step = session.position.step;
    ctx.optimizer.setLearningRate(learningRateAt(config.schedule, config.optimizer.lr, { step, epoch, totalSteps }));
    const started = performance.now();
    const result = await runStep(ctx, batch, { epoch, seed: config.seed, step }, { epoch, index, stepsPerEpoch, step, checkpoint: session.checkpoint, paths: session.paths });
    addToConfusion(partial.confusion, result.truth, result.predicted);
    const n = batch.xShape[0];
    partial = { ...partial, lossSum: partial.lossSum + result.loss * n, batches: partial.batches + 1, images: partial.images + n, seconds: partial.seconds + (performance.now() - started) / 1000 };
    session.position = { ...session.position, step: step + 1, stepInEpoch: index, partial };
    const metric = headlineMetric(computeMetrics(config.metrics, partial.confusion, segmentation));
    progress?.step({ epoch, stepInEpoch: index, step: step + 1, loss: partial.lossSum / partial.images, metric, imagesPerSecond: partial.images / partial.seconds, lr: ctx.optimizer.learningRate });
    // Promise callbacks never let the event loop run; a macrotask turn lets a Ctrl-C handler in.
    await new Promise((resume) => setImmediate(resume));
    if (signal?.aborted) {
      await save(session);
      return 'interrupted';
    }
    if (config.checkpointEvery > 0 && (step + 1) % config.checkpointEvery === 0) await save(session);
  }
  session.position = { ...session.position, partial };
  return 'done';
}

interface StepWhere {
  readonly epoch: number;
  readonly index: number;
  readonly stepsPerEpoch: number;
  readonly step: number;
  readonly checkpoint: CheckpointManifest | undefined;
  readonly paths: RunPaths;
}

async function runStep(ctx: StepContext, batch: Parameters<typeof trainStep>[1], state: Parameters<typeof trainStep>[2], where: StepWhere) {
  try {
    return await trainStep(ctx, batch, state);
  } catch (error) {
    if (!(error instanceof Diverged)) throw error;
    throw divergenceError(error, where, ctx.optimizer.learningRate);
  }
}

/** One message: where, what went non-finite, at which rate, what was kept, and what to change. */
function divergenceError(error: Diverged, where: StepWhere, lr: number) {
  const at = `epoch ${where.epoch + 1}, step ${where.index} of ${where.stepsPerEpoch} (global step ${where.step + 1})`;
  const kept = where.checkpoint
    ? `the last finite checkpoint (step ${where.checkpoint.position.step}) in ${where.paths.checkpoint} is kept`
    : 'no checkpoint had been written yet';
  return trainError(
    TRAIN_ERRORS.nonFiniteLoss,
    `training diverged at ${at}: ${error.message} at learning rate ${lr}; training stopped, nothing of this step was saved and ${kept}; lower the learning rate (e.g. --lr ${Number((lr / 10).toPrecision(3))}) or set clip_norm in the train section`,
  );
}

async function closeEpoch(ctx: StepContext, config: TrainConfig, validation: Dataset, epoch: number, step: number, partial: EpochProgress): Promise<EpochRecord> {
  const segmentation = ctx.task.task === 'segmentation';
  const checked = validation.size > 0 ? await evaluate({ ...ctx, metrics: config.metrics, batch: config.batch }, validation) : null;
  return {
    epoch: epoch + 1,
    step,
    loss: partial.lossSum / partial.images,
    metrics: computeMetrics(config.metrics, partial.confusion, segmentation),
    validation: checked && { loss: checked.loss, metrics: checked.metrics },
    lr: ctx.optimizer.learningRate,
    seconds: partial.seconds + (checked?.seconds ?? 0),
    imagesPerSecond: partial.images / partial.seconds,
  };
}

const fresh = (): TrainingPosition => ({ epoch: 0, step: 0, stepInEpoch: 0, partial: null, history: [] });
const freshEpoch = (classes: number): EpochProgress => ({ lossSum: 0, batches: 0, images: 0, seconds: 0, confusion: emptyConfusion(classes) });

/** Trainable weights in meta order; weight decay skips rank-1 weights (biases, batchnorm) and the gauss σ, μ, θ. */
function trainableVariables(model: TrainableModel, weights: Weights): NamedVariable[] {
  const geometry = new Set(model.info.gaussLayers.flatMap((g) => ['sigma', 'mu', 'theta'].map((p) => `${g.weightPrefix}/${p}`)));
  return model.module.meta.weights
    .filter((w) => w.trainable)
    .map((w) => ({ name: w.name, variable: weights[w.name]!, decays: w.shape.length >= 2 && !geometry.has(w.name) }));
}

async function restore(checkpoint: LoadedCheckpoint, weights: Weights, optimizer: TrainOptimizer, trainable: readonly NamedVariable[]): Promise<TrainingPosition> {
  for (const [name, tensor] of Object.entries(checkpoint.weights)) {
    weights[name]!.assign(tensor);
    tensor.dispose();
  }
  optimizer.setLearningRate(checkpoint.manifest.learningRate);
  await optimizer.loadState(checkpoint.optimizerSlots, trainable);
  return checkpoint.manifest.position;
}
