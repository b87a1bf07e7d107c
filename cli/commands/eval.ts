import * as tf from '@tensorflow/tfjs-core';
import { TRAIN_ERRORS, trainError } from '../../runtime/train/codes.js';
import { evaluate } from '../../runtime/train/evaluate.js';
import { buildLoss } from '../../runtime/train/losses.js';
import { openTrainingData } from '../../runtime/train/run-training.js';
import { describeTask } from '../../runtime/train/targets.js';
import { relativePath } from '../load.js';
import { type TrainedRun, loadTrainedRun, printGnetError, reportCompileFailure } from './model.js';
import type { OpenedData } from '../../runtime/data/source.js';
import type { VolumeSamples } from '../../runtime/data/source-volumes.js';
import { type VolumeNetwork, wholeVolumeDice } from '../../runtime/infer/segment-volume.js';
import { volumeNetwork } from './predict-volumes.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import type { EvaluatedSplit } from '../../runtime/train/engine.js';
import { computeMetrics, type MetricValues } from '../../runtime/train/metrics.js';
import type { TaskInfo } from '../../runtime/train/targets.js';

export const EVAL_SPLITS = ['test', 'validation', 'train'] as const;

export interface EvalOptions {
  /** Data source; the run's own when absent. */
  readonly data?: string;
  /** Which split; the test split when the source has one, else validation. */
  readonly split?: (typeof EVAL_SPLITS)[number];
  readonly backend: string;
  /** torch backend: where the evaluation runs (default cpu), and its CPU threads. */
  readonly device?: string;
  readonly threads?: number;
  readonly batch?: number;
  readonly json?: boolean;
  /** Evaluate a checkpoint instead of the final model: best, last or a manifest file name. */
  readonly checkpoint?: string;
}

/**
 * `gnet eval RUNDIR`: loss and metrics of the trained model on a dataset split (inference mode); on
 * volumes the loss and metrics are over the split's tiles, and Dice per class over its whole volumes.
 */
export async function evalRun(dir: string, options: EvalOptions): Promise<number> {
  try {
    const run = await loadTrainedRun(dir, options.backend, options.checkpoint);
    if ('failed' in run) return reportCompileFailure(run.failed);
    const { module, info } = run.spec.model;
    const config = { ...run.record.train, data: options.data ?? run.record.train.data };
    const task = describeTask(module.meta, info.outputs, config.loss);
    const data = openTrainingData(config, task);
    const split = options.split ?? (data.test ? 'test' : 'validation');
    const dataset = split === 'test' ? data.test : data[split];
    if (!dataset || dataset.size === 0) {
      throw trainError(TRAIN_ERRORS.badValue, `${data.info.source} has no ${split} images; choose --split ${EVAL_SPLITS.filter((s) => s !== split).join(' or ')}`);
    }
    const torchOnly = [options.device === undefined ? '' : `--device ${options.device}`, options.threads === undefined ? '' : `--threads ${options.threads}`].filter(Boolean);
    if (torchOnly.length > 0 && options.backend !== 'torch') {
      throw trainError(TRAIN_ERRORS.badValue, `${torchOnly.join(' and ')} ${torchOnly.length === 1 ? 'applies' : 'apply'} to the torch backend only, but this evaluation uses ${options.backend}; add --backend torch, or drop ${torchOnly.length === 1 ? 'it' : 'them'}`);
    }
    const batch = options.batch ?? config.batch;
    const result = options.backend === 'torch'
      ? await onTorch(run, { ...config, batch }, task, data, split, options)
      : await evaluate({ module, weights: run.weights, loss: buildLoss(config.loss, task), task, metrics: config.metrics, batch }, dataset);
    const whole = data.samples.kind === 'volumes' ? await wholeVolumes(data.samples, split, volumeNetwork(module, run.weights, task), task.classes) : undefined;
    tf.dispose(Object.values(run.weights));
    const summary = { run: relativePath(dir), weights: options.checkpoint === undefined ? run.from : `checkpoint ${options.checkpoint}`, data: data.info.source, split, images: result.images, loss: result.loss, metrics: result.metrics, ...(whole ? { wholeVolumes: whole } : {}) };
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else process.stdout.write(`${summaryLine(summary)}\n`);
    if (!Number.isFinite(result.loss) && result.images > 0) {
      process.stderr.write(`gnet: warning: the loss is ${result.loss}: the model's outputs are not finite on these images although its weights are; its predictions mean nothing\n`);
    }
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

/** Dice per class of the split's whole volumes, each segmented by sliding windows as `gnet predict` does. */
async function wholeVolumes(samples: VolumeSamples, split: EvaluatedSplit | 'train', network: VolumeNetwork, classes: number): Promise<{ volumes: number; dice: (number | null)[] }> {
  const pick = (indices: Int32Array) => Array.from(indices, (i) => samples.pool.volumes[i]!);
  const volumes = split === 'test' ? (samples.test?.volumes ?? []) : pick(split === 'train' ? samples.train : samples.validation);
  return { volumes: volumes.length, dice: await wholeVolumeDice(volumes, network, classes) };
}

/** The torch engine's evaluation of the run's weights, with the metrics every engine computes from its counts. */
async function onTorch(run: TrainedRun, config: TrainConfig, task: TaskInfo, data: OpenedData, split: EvaluatedSplit, placement: Pick<EvalOptions, 'device' | 'threads'>): Promise<{ loss: number; metrics: MetricValues; images: number }> {
  const [{ generateTorch }, { evaluateOnTorch }] = await Promise.all([import('../../compiler/codegen/index.js'), import('../../backends/torch/evaluate.js')]);
  const torch = generateTorch(run.spec.graph, run.spec.analysis, { sources: run.spec.sources });
  const weights = await Promise.all(run.spec.model.module.meta.weights.map(async (w) => ({ name: w.name, shape: w.shape, dtype: 'float32' as const, values: (await run.weights[w.name]!.data()) as Float32Array })));
  const outcome = await evaluateOnTorch({ model: run.spec.model, torchSource: torch.source, torchNetwork: torch.network, config, task, data, weights, split, device: placement.device, threads: placement.threads });
  const confusion = { classes: task.classes, counts: [...outcome.counts] };
  return { loss: outcome.images === 0 ? NaN : outcome.lossSum / outcome.images, metrics: computeMetrics(config.metrics, confusion, task.task === 'segmentation'), images: outcome.images };
}

type Summary = { run: string; weights: string; data: string; split: string; images: number; loss: number; metrics: Record<string, unknown>; wholeVolumes?: { volumes: number; dice: (number | null)[] } };

const perClass = (values: readonly (number | null)[]) => `[${values.map((v) => (v === null ? '–' : v.toFixed(4))).join(', ')}]`;

function summaryLine(s: Summary): string {
  const metrics = Object.entries(s.metrics)
    .map(([name, value]) => `${name} ${Array.isArray(value) ? perClass(value) : (value as number).toFixed(4)}`)
    .join(', ');
  const whole = s.wholeVolumes ? `; ${s.wholeVolumes.volumes} whole volumes (sliding windows): dice per class ${perClass(s.wholeVolumes.dice)}` : '';
  const examples = s.wholeVolumes ? 'patches' : 'images';
  return `${s.run} (${s.weights}) on ${s.data}, ${s.split} split, ${s.images} ${examples}: loss ${s.loss.toFixed(4)}, ${metrics}${whole}`;
}
