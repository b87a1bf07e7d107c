import type { CheckpointManifest, EpochProgress, TrainingPosition } from './checkpoint.js';
import { TRAIN_ERRORS, trainError } from './codes.js';
import type { TrainConfig } from './config.js';
import { Diverged, describeNonFinite } from './divergence.js';
import type { EngineState, StepOrder, StepOutcome, TrainingEngine } from './engine.js';
import type { EpochRecord } from './log.js';
import { computeMetrics, emptyConfusion, headlineMetric } from './metrics.js';
import { learningRateAt } from './schedules.js';
import { earlyStopReason } from './watch.js';

/**
 * The one training driver: every engine (TensorFlow.js in Node or in the page, the torch workers)
 * trains under this policy and only executes what it asks. It owns the epochs and their order of
 * batches, the learning-rate schedule, validation after each epoch, early stopping, the divergence
 * stop, when checkpoints are taken (the store keeps the newest K and the best), the log, progress and
 * stopping on a signal. Where checkpoints and the log go is the store's business (files in a run
 * directory, or memory in the page).
 */

/** Where the driver reports to (the progress bar, the page, a test). */
export interface ProgressSink {
  start(at: { readonly epoch: number; readonly stepInEpoch: number; readonly epochs: number; readonly stepsPerEpoch: number }): void;
  /** `loss` is the epoch's mean so far; `batchLoss` and `images` are this step's own. */
  step(at: { readonly epoch: number; readonly stepInEpoch: number; readonly step: number; readonly loss: number; readonly batchLoss: number; readonly images: number; readonly metric?: { name: string; value: number }; readonly imagesPerSecond: number; readonly lr: number }): void;
  epoch(record: EpochRecord): void;
  stop(): void;
}

/** Where checkpoints and the epoch log are kept. */
export interface RunStore {
  /** Saves the engine's state (asked for only if the store keeps it) at `position`, keeping the newest checkpoints and the best. */
  saveCheckpoint(state: () => Promise<EngineState>, position: TrainingPosition): Promise<CheckpointManifest | undefined>;
  /** The log holds exactly `history` (a resumed run's epochs, no more, no fewer). */
  rewriteLog(history: readonly EpochRecord[]): void;
  appendLog(record: EpochRecord): void;
  /** Where checkpoints are, for messages. */
  readonly describe: string;
}

export interface DriveOptions {
  readonly engine: TrainingEngine;
  readonly config: TrainConfig;
  readonly classes: number;
  readonly segmentation: boolean;
  readonly trainSize: number;
  readonly hasValidation: boolean;
  readonly store: RunStore;
  /** A checkpoint to continue from (its position; the engine is started from its state). */
  readonly resume?: { readonly position: TrainingPosition; readonly state: EngineState; readonly manifest?: CheckpointManifest };
  /** Aborting stops after the current step, once a checkpoint is saved (Ctrl-C, SIGTERM, the page's Stop). */
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  /** Awaited after every step and after every epoch: the page redraws kernels and predictions, and holds a paused run there. */
  readonly observe?: { readonly afterStep?: () => Promise<void>; readonly afterEpoch?: (record: EpochRecord) => Promise<void> };
}

export interface EarlyStop {
  /** 1-based epoch after which training stopped. */
  readonly epoch: number;
  readonly reason: string;
}

export interface DriveResult {
  readonly status: 'completed' | 'interrupted';
  /** Set when early stopping ended the run (status 'completed'). */
  readonly earlyStop: EarlyStop | null;
  readonly position: TrainingPosition;
  readonly checkpoint: CheckpointManifest | undefined;
  /** The engine's state at the end (the final model). */
  readonly state: EngineState;
}

/** Trains from scratch or from `resume` until the epochs are done, early stopping ends it, or `signal` aborts. */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const { engine, store } = options;
  await engine.start(options.resume?.state ?? null);
  const run: Run = { ...options, position: options.resume?.position ?? fresh(), checkpoint: options.resume?.manifest, earlyStop: null, stepsPerEpoch: Math.ceil(options.trainSize / options.config.batch), lr: options.resume?.state.learningRate ?? options.config.optimizer.lr };
  store.rewriteLog(run.position.history);
  try {
    const status = await runEpochs(run);
    return { status, earlyStop: run.earlyStop, position: run.position, checkpoint: run.checkpoint, state: await engine.state() };
  } finally {
    options.progress?.stop();
  }
}

interface Run extends DriveOptions {
  position: TrainingPosition;
  checkpoint: CheckpointManifest | undefined;
  earlyStop: EarlyStop | null;
  readonly stepsPerEpoch: number;
  /** The rate of the last step taken (the log's `lr` of an epoch). */
  lr: number;
}

async function save(run: Run): Promise<void> {
  run.checkpoint = (await run.store.saveCheckpoint(() => run.engine.state(), run.position)) ?? run.checkpoint;
}

/** Why patience has run out after `history`, when --early-stop is on and it has. */
function earlyStopAfter(config: TrainConfig, history: readonly EpochRecord[]): EarlyStop | null {
  if (config.earlyStop == null) return null;
  const reason = earlyStopReason(history, config.keepBest, config.earlyStop, config.minDelta);
  return reason === undefined ? null : { epoch: history.length, reason };
}

async function runEpochs(run: Run): Promise<DriveResult['status']> {
  const { config, progress, signal } = run;
  // A resumed run that had already stopped early stays stopped (its patience counter is in the history).
  run.earlyStop = run.position.stepInEpoch === 0 ? earlyStopAfter(config, run.position.history) : null;
  if (run.earlyStop) return 'completed';
  progress?.start({ epoch: run.position.epoch, stepInEpoch: run.position.stepInEpoch, epochs: config.epochs, stepsPerEpoch: run.stepsPerEpoch });
  for (let epoch = run.position.epoch; epoch < config.epochs; epoch++) {
    if ((await runEpoch(run, epoch)) === 'interrupted') return 'interrupted';
    const closed = await closeEpoch(run, epoch, run.position.partial ?? freshEpoch(run.classes));
    run.earlyStop = earlyStopAfter(config, [...run.position.history, closed]);
    const record: EpochRecord = run.earlyStop ? { ...closed, earlyStop: run.earlyStop.reason } : closed;
    run.position = { epoch: epoch + 1, step: run.position.step, stepInEpoch: 0, partial: null, history: [...run.position.history, record] };
    await save(run);
    run.store.appendLog(record);
    progress?.epoch(record);
    await run.observe?.afterEpoch?.(record);
    if (run.earlyStop) return 'completed';
    if (signal?.aborted && epoch + 1 < config.epochs) return 'interrupted';
  }
  return 'completed';
}

/**
 * The steps of one epoch not yet taken (all of them, unless resuming mid-epoch), asked of the engine
 * a few at a time when it prefers (a GPU engine reads its results once per call), never past a
 * checkpoint that --checkpoint-every asks for.
 */
async function runEpoch(run: Run, epoch: number): Promise<'done' | 'interrupted'> {
  const { engine, config, progress, signal, stepsPerEpoch } = run;
  const totalSteps = stepsPerEpoch * config.epochs;
  let partial = run.position.partial ?? freshEpoch(run.classes);
  for (let index = run.position.stepInEpoch; index < stepsPerEpoch; ) {
    const first = run.position.step;
    const untilCheckpoint = config.checkpointEvery > 0 ? config.checkpointEvery - (first % config.checkpointEvery) : Infinity;
    const size = Math.max(1, Math.min(engine.stepsPerCall ?? 1, stepsPerEpoch - index, untilCheckpoint));
    const orders = Array.from({ length: size }, (_, k) => ({ epoch, index: index + k, step: first + k, lr: learningRateAt(config.schedule, config.optimizer.lr, { step: first + k, epoch, totalSteps }) }));
    const started = performance.now();
    const outcomes = await takeSteps(run, orders);
    const seconds = (performance.now() - started) / 1000 / size;
    outcomes.forEach((outcome, k) => {
      const at = orders[k]!;
      run.lr = at.lr;
      partial = addStep(partial, outcome, seconds);
      run.position = { ...run.position, step: at.step + 1, stepInEpoch: at.index + 1, partial };
      const metric = headlineMetric(computeMetrics(config.metrics, partial.confusion, run.segmentation));
      progress?.step({ epoch, stepInEpoch: at.index + 1, step: at.step + 1, loss: partial.lossSum / partial.images, batchLoss: outcome.lossSum / outcome.images, images: outcome.images, metric, imagesPerSecond: partial.images / partial.seconds, lr: at.lr });
    });
    index += size;
    // Promise callbacks never let the event loop run; a macrotask turn lets a Ctrl-C handler in.
    await new Promise((resume) => setTimeout(resume, 0));
    await run.observe?.afterStep?.();
    if (signal?.aborted) {
      await save(run);
      return 'interrupted';
    }
    if (config.checkpointEvery > 0 && run.position.step % config.checkpointEvery === 0) await save(run);
  }
  run.position = { ...run.position, partial };
  return 'done';
}

async function takeSteps(run: Run, orders: readonly StepOrder[]): Promise<StepOutcome[]> {
  try {
    return await run.engine.steps(orders);
  } catch (error) {
    if (!(error instanceof Diverged)) throw error;
    throw divergenceError(error, run, error.order ?? orders[0]!);
  }
}

function addStep(partial: EpochProgress, outcome: StepOutcome, seconds: number): EpochProgress {
  const counts = partial.confusion.counts.map((c, i) => c + (outcome.counts[i] ?? 0));
  return {
    lossSum: partial.lossSum + outcome.lossSum,
    batches: partial.batches + 1,
    images: partial.images + outcome.images,
    seconds: partial.seconds + seconds,
    confusion: { classes: partial.confusion.classes, counts },
  };
}

/** One message: where, what went non-finite (and on which workers), at which rate, what was kept, and what to change. */
function divergenceError(error: Diverged, run: Run, at: { epoch: number; index: number; step: number; lr: number }) {
  const where = `epoch ${at.epoch + 1}, step ${at.index + 1} of ${run.stepsPerEpoch} (global step ${at.step + 1})`;
  const ranks = error.ranks && error.ranks.length > 0 ? ` on worker rank${error.ranks.length > 1 ? 's' : ''} ${error.ranks.join(', ')}` : '';
  const kept = run.checkpoint ? `the last finite checkpoint (step ${run.checkpoint.position.step}) in ${run.store.describe} is kept` : 'no checkpoint had been written yet';
  return trainError(
    TRAIN_ERRORS.nonFiniteLoss,
    `training diverged at ${where}: ${describeNonFinite(error.what)}${ranks} at learning rate ${at.lr}; training stopped, nothing of this step was saved and ${kept}; lower the learning rate (e.g. --lr ${Number((at.lr / 10).toPrecision(3))}) or set clip_norm in the train section`,
  );
}

async function closeEpoch(run: Run, epoch: number, partial: EpochProgress): Promise<EpochRecord> {
  const { config } = run;
  const checked = run.hasValidation ? await run.engine.evaluate('validation') : null;
  const validationMetrics = checked && computeMetrics(config.metrics, { classes: run.classes, counts: [...checked.counts] }, run.segmentation);
  return {
    epoch: epoch + 1,
    step: run.position.step,
    loss: partial.lossSum / partial.images,
    metrics: computeMetrics(config.metrics, partial.confusion, run.segmentation),
    validation: checked && { loss: checked.images === 0 ? NaN : checked.lossSum / checked.images, metrics: validationMetrics! },
    lr: run.lr,
    seconds: partial.seconds + (checked?.seconds ?? 0),
    imagesPerSecond: partial.images / partial.seconds,
  };
}

const fresh = (): TrainingPosition => ({ epoch: 0, step: 0, stepInEpoch: 0, partial: null, history: [] });
const freshEpoch = (classes: number): EpochProgress => ({ lossSum: 0, batches: 0, images: 0, seconds: 0, confusion: emptyConfusion(classes) });

