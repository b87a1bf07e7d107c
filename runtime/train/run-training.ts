import { openDataset, parseDataSource, type OpenedData } from '../data/index.js';
import { loadCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { writeModel } from './export.js';
import { type FileSystem, NODE_FS, writeFileAtomic } from './files.js';
import { drawGaussKernels } from './kernels-png.js';
import { type FitResult, type ProgressSink, fit } from './loop.js';
import type { TrainableModel } from './model.js';
import { segmentationPanels } from './panels.js';
import { classificationPredictions } from './predictions.js';
import { type ParamTable, renderReport } from './report-html.js';
import { type RunPaths, type RunRecord, type SourceSnapshot, createRun, openRun, updateRun } from './run-dir.js';
import { describeTask, type TaskInfo } from './targets.js';

/**
 * `gnet train` below the command line: check the model against the loss, open the data, create (or
 * reopen) the run directory, train, then write the final model and report.html. Everything that can
 * be refused is refused before the run directory is created, so bad input leaves nothing behind.
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
}

export interface TrainOutcome {
  readonly status: FitResult['status'];
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
  });
}

export async function runTraining(run: TrainRun): Promise<TrainOutcome> {
  const { model, config } = run;
  const io = run.io ?? NODE_FS;
  const task = describeTask(model.module.meta, model.info.outputs, config.loss);
  const data = openTrainingData(config, task);
  let paths: RunPaths;
  let resume;
  if (run.resume) {
    ({ paths } = openRun(run.out, io));
    resume = loadCheckpoint(paths.checkpoint, model.module.meta, io);
    updateRun(paths, run.record, io);
  } else {
    paths = createRun(run.out, run.record, run.sources, io);
  }
  writeFileAtomic(paths.data, JSON.stringify(data.info, null, 2), io);
  const result = await fit({ model, config, data, paths, resume, signal: run.signal, progress: run.progress, io });
  try {
    if (result.status === 'completed') {
      await writeModel(paths.model, { meta: model.module.meta, source: run.moduleSource, deployed: false }, result.weights, { epochs: result.position.epoch, steps: result.position.step }, io);
    }
    const shown = data.validation.size > 0 ? data.validation : data.train;
    const report = renderReport({
      network: model.module.meta.network,
      specFile: run.record.spec.file,
      status: result.status,
      config,
      dataSource: data.info.source,
      backend: run.record.backend,
      device: (run.record as { readonly device?: string }).device,
      history: result.position.history,
      params: run.params,
      kernels: await Promise.all(model.info.gaussLayers.map((layer) => drawGaussKernels(layer, result.weights))),
      panels: await segmentationPanels(model.module, result.weights, task, shown),
      predictions: await classificationPredictions(model.module, result.weights, task, shown, data.info.classNames, { split: shown === data.train ? 'training' : 'validation' }),
    });
    writeFileAtomic(paths.report, report, io);
  } finally {
    result.dispose();
  }
  return { status: result.status, paths, task, epochsDone: result.position.epoch, step: result.position.step };
}
