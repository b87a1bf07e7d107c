import { openDataset, parseDataSource, type OpenedData } from '../data/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type LoadedCheckpoint, hasCheckpoint, loadCheckpoint, setAsideDamaged } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { type DriveResult, type ProgressSink, drive } from './driver.js';
import type { TrainingEngine } from './engine.js';
import { writeModel } from './export.js';
import { type FileSystem, NODE_FS, writeFileAtomic } from './files.js';
import { drawGaussKernels } from './kernels-png.js';
import type { TrainableModel } from './model.js';
import { segmentationPanels } from './panels.js';
import { classificationPredictions } from './predictions.js';
import { type ParamTable, renderReport } from './report-html.js';
import { type RunPaths, type RunRecord, type SourceSnapshot, createRun, openRun, updateRun } from './run-dir.js';
import { lockRun } from './run-lock.js';
import { fileRunStore } from './run-store.js';
import { describeTask, type TaskInfo } from './targets.js';
import { createTfjsEngine, weightsFromState } from './tfjs-engine.js';

/**
 * `gnet train` below the command line, for every engine: check the model against the loss, open the
 * data, take the run's lock, create (or reopen) the run directory, let the driver train on the
 * engine, then write the final model and report.html. Everything that can be refused is refused
 * before the run directory is created, so bad input leaves nothing behind.
 */
export interface TrainRun {
  readonly model: TrainableModel;
  readonly config: TrainConfig;
  readonly out: string;
  /** Continue the run in `out` from its checkpoint instead of starting one. */
  readonly resume: boolean;
  /** config.json of a new run (on resume, the saved one with this run's epochs). */
  readonly record: RunRecord;
  readonly sources: SourceSnapshot;
  /** The generated module's TypeScript, saved beside the final model. */
  readonly moduleSource: string;
  readonly params: ParamTable | null;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  readonly io?: FileSystem;
  /** One-line messages for the user before training starts (resume point, fallbacks, lock takeover). */
  readonly notice?: (message: string) => void;
}

/** What an engine is made from, once the run directory exists (the torch engine writes its job there). */
export interface EngineSetup {
  readonly paths: RunPaths;
  readonly data: OpenedData;
  readonly task: TaskInfo;
}

export type EngineFactory = (setup: EngineSetup) => Promise<TrainingEngine>;

/** The TensorFlow.js engine on the active tfjs backend (`device` names it in the report). */
export const onTfjs = (run: Pick<TrainRun, 'model' | 'config' | 'record'>, device = run.record.device ?? run.record.backend): EngineFactory =>
  async ({ data }) => createTfjsEngine(run.model, run.config, data, device);

export interface TrainOutcome {
  readonly status: DriveResult['status'];
  readonly earlyStop: DriveResult['earlyStop'];
  readonly paths: RunPaths;
  readonly task: TaskInfo;
  readonly epochsDone: number;
  readonly step: number;
}

export function openTrainingData(config: TrainConfig, task: TaskInfo): OpenedData {
  return openDataset(parseDataSource(config.data), {
    inputShape: task.input.shape,
    classes: task.classes,
    task: task.task,
    trainSize: config.trainSize ?? undefined,
    validationSplit: config.validationSplit,
    seed: config.seed,
    sampling: { perVolume: config.patches, foreground: config.foreground },
  });
}

/** Trains `run` on the engine `makeEngine` makes (default: TensorFlow.js on the active backend). */
export async function runTraining(run: TrainRun, makeEngine: EngineFactory = onTfjs(run)): Promise<TrainOutcome> {
  const { model, config } = run;
  const io = run.io ?? NODE_FS;
  const task = describeTask(model.module.meta, model.info.outputs, config.loss);
  const data = openTrainingData(config, task);
  const notice = run.notice ?? (() => {});
  if (run.resume) openRun(run.out, io); // a wrong directory is refused before the lock creates anything
  const lock = lockRun(run.out, io, notice);
  try {
    const { paths, resume } = run.resume ? reopen(run, io, notice) : { paths: createRun(run.out, run.record, run.sources, io), resume: undefined };
    writeFileAtomic(paths.data, JSON.stringify(data.info, null, 2), io);
    const engine = await makeEngine({ paths, data, task });
    if (engine.device !== run.record.device) notice(`training on ${engine.device}`);
    try {
      const result = await trainInRun(engine, { model, config, data, task, paths, io, resume, signal: run.signal, progress: run.progress });
      await finish(run, result, paths, data, task, engine.device, io);
      return { status: result.status, earlyStop: result.earlyStop, paths, task, epochsDone: result.position.epoch, step: result.position.step };
    } finally {
      await engine.close();
    }
  } finally {
    lock.release();
  }
}

export interface InRunOptions {
  readonly model: TrainableModel;
  readonly config: TrainConfig;
  readonly data: { readonly train: { readonly size: number }; readonly validation: { readonly size: number } };
  readonly task: TaskInfo;
  readonly paths: RunPaths;
  readonly io?: FileSystem;
  readonly resume?: LoadedCheckpoint;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
}

/** The driver on `engine`, keeping checkpoints and the log in a run directory. */
export function trainInRun(engine: TrainingEngine, o: InRunOptions): Promise<DriveResult> {
  return drive({
    engine,
    config: o.config,
    classes: o.task.classes,
    segmentation: o.task.task === 'segmentation',
    trainSize: o.data.train.size,
    hasValidation: o.data.validation.size > 0,
    store: fileRunStore(o.paths, o.model.module.meta, o.config, o.io ?? NODE_FS),
    resume: o.resume && { position: o.resume.manifest.position, state: o.resume.state, manifest: o.resume.manifest },
    signal: o.signal,
    progress: o.progress,
  });
}

/**
 * Opens a run to continue: from its newest intact checkpoint (damaged newer ones are set aside as
 * *.damaged, and the notice says so), or, when it stopped before its first checkpoint, from the start
 * with its saved configuration.
 */
function reopen(run: TrainRun, io: FileSystem, notice: (message: string) => void): { paths: RunPaths; resume: LoadedCheckpoint | undefined } {
  const { paths } = openRun(run.out, io);
  if (!hasCheckpoint(paths.checkpoint, io)) {
    notice(`${run.out} has no checkpoint (it stopped before its first one); starting it again from epoch 1 with its saved configuration`);
    updateRun(paths, run.record, io);
    return { paths, resume: undefined };
  }
  const resume = loadCheckpoint(paths.checkpoint, run.model.module.meta, io);
  if (resume.skipped.length > 0) {
    setAsideDamaged(paths.checkpoint, resume.skipped.map((s) => s.file), io);
    const why = resume.skipped.map((s) => `${s.file}: ${s.problem}`).join('; ');
    notice(`the newest checkpoint is damaged (${why}); set aside as *.damaged, falling back to ${resume.file}, the newest intact one`);
  }
  updateRun(paths, run.record, io);
  notice(resumeLine(resume, run.config));
  return { paths, resume };
}

/** "resuming from step-000009.json: epoch 2/3 continues after its step 2 of 7 (global step 9)". */
function resumeLine(resume: LoadedCheckpoint, config: TrainConfig): string {
  const { epoch, step, stepInEpoch } = resume.manifest.position;
  const where = stepInEpoch === 0 ? `epoch ${epoch + 1}/${config.epochs} starts` : `epoch ${epoch + 1}/${config.epochs} continues after its step ${stepInEpoch}`;
  return `resuming from ${resume.file} (saved ${resume.manifest.savedAt}): ${epoch >= config.epochs ? `all ${config.epochs} epochs are done` : where} (global step ${step})`;
}

/** The final model (a completed run) and report.html, drawn with TensorFlow.js whichever engine trained. */
export async function finish(
  run: Pick<TrainRun, 'model' | 'config' | 'record' | 'moduleSource' | 'params'>,
  result: Pick<DriveResult, 'status' | 'earlyStop' | 'position' | 'state'>,
  paths: RunPaths,
  data: OpenedData,
  task: TaskInfo,
  device: string,
  io: FileSystem = NODE_FS,
): Promise<void> {
  const { model, config } = run;
  const weights = weightsFromState(model, result.state, config.seed);
  try {
    if (result.status === 'completed') {
      await writeModel(paths.model, { meta: model.module.meta, source: run.moduleSource, deployed: false }, weights, { epochs: result.position.epoch, steps: result.position.step }, io);
    }
    const shown = data.validation.size > 0 ? data.validation : data.train;
    const report = renderReport({
      network: model.module.meta.network,
      specFile: run.record.spec.file,
      status: result.earlyStop ? `completed (early stop at epoch ${result.earlyStop.epoch})` : result.status,
      config,
      dataSource: data.info.source,
      backend: run.record.backend,
      device,
      history: result.position.history,
      params: run.params,
      kernels: await Promise.all(model.info.gaussLayers.map((layer) => drawGaussKernels(layer, weights))),
      panels: await segmentationPanels(model.module, weights, task, shown),
      predictions: await classificationPredictions(model.module, weights, task, shown, data.info.classNames, { split: shown === data.train ? 'training' : 'validation' }),
    });
    writeFileAtomic(paths.report, report, io);
  } finally {
    tf.dispose(Object.values(weights));
  }
}
