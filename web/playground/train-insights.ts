/**
 * Worker side of what the page shows beside the loss: the learned Gaussian kernels (the report's
 * kernel grid) and sample predictions on the validation images (the report's class maps and colours),
 * as RGBA for the page's canvases.
 */
import type { Dataset } from '../../runtime/data/types.js';
import { argmaxMap, centreCrop } from '../../runtime/train/class-maps.js';
import { imageColours, maskColours } from '../../runtime/train/colours.js';
import { predictBatch } from '../../runtime/train/evaluate.js';
import { gaussKernelGrid } from '../../runtime/train/kernel-grid.js';
import type { GaussLayerInfo, GeneratedModel, Weights } from '../../runtime/train/model.js';
import type { TaskInfo } from '../../runtime/train/targets.js';
import type { PageData } from './data/page-data.js';
import type { InsightEvent, KernelPicture, LabelledSample, MaskSample, Picture } from './insight-protocol.js';

/** An event for the page with the pixel buffers it can take over. */
export interface Posting {
  readonly event: InsightEvent;
  readonly transfer: ArrayBuffer[];
}

/** The gauss layers' kernels now, as the page draws them (`step` 0: before training). */
export async function kernelsPosting(layers: readonly GaussLayerInfo[], weights: Weights, step: number): Promise<Posting> {
  const pictures = await kernelPictures(layers, weights);
  return { event: { kind: 'kernels', step, layers: pictures }, transfer: pictures.map((l) => l.rgba.buffer as ArrayBuffer) };
}

/** Sample predictions on the validation images (the training ones where there are none): labelled images, or masks. */
export async function samplesPosting(module: GeneratedModel, weights: Weights, task: TaskInfo, data: PageData, epoch: number): Promise<Posting> {
  const shown = data.validation ?? data.train;
  const split = data.validation ? 'validation' : 'training';
  if (task.task === 'classification') {
    const samples = await labelledSamples(module, weights, task, shown, data.classNames);
    return { event: { kind: 'predictions', epoch, split, samples }, transfer: samples.map((s) => s.image.rgba.buffer as ArrayBuffer) };
  }
  const samples = await maskSamples(module, weights, task, shown);
  return { event: { kind: 'masks', epoch, split, samples }, transfer: samples.flatMap((s) => [s.input.rgba.buffer, s.truth.rgba.buffer, s.predicted.rgba.buffer] as ArrayBuffer[]) };
}

export async function kernelPictures(layers: readonly GaussLayerInfo[], weights: Weights): Promise<KernelPicture[]> {
  const pictures: KernelPicture[] = [];
  for (const layer of layers) pictures.push(await gaussKernelGrid(layer, weights));
  return pictures;
}

/** The first `count` images of `dataset` with their predicted and true classes. */
export async function labelledSamples(module: GeneratedModel, weights: Weights, task: TaskInfo, dataset: Dataset, classNames: readonly string[] | undefined, count = 8): Promise<LabelledSample[]> {
  const [batch] = dataset.batches(count);
  if (!batch) return [];
  const [n, height, width, channels] = batch.xShape;
  const { values, shape } = await predictBatch(module, weights, task, batch.x, batch.xShape);
  const outC = shape.at(-1)!;
  const predicted = argmaxMap(values, outC, task.primary.activation === 'none' ? 0 : 0.5);
  const name = (c: number) => classNames?.[c] ?? `class ${c}`;
  return Array.from({ length: n }, (_, i) => {
    const score = outC === 1 ? (predicted[i] === 1 ? values[i]! : 1 - values[i]!) : values[i * outC + predicted[i]!]!;
    return {
      image: { width, height, rgba: imageColours(batch.x.subarray(i * height * width * channels, (i + 1) * height * width * channels), channels) },
      predicted: name(predicted[i]!),
      truth: name(batch.y[i]!),
      probability: task.primary.activation === 'none' ? null : score,
    };
  });
}

/** Input, true mask and predicted mask of the first `count` images of `dataset`. */
export async function maskSamples(module: GeneratedModel, weights: Weights, task: TaskInfo, dataset: Dataset, count = 3): Promise<MaskSample[]> {
  const [batch] = dataset.batches(count);
  if (!batch) return [];
  const [n, height, width, channels] = batch.xShape;
  const { values, shape } = await predictBatch(module, weights, task, batch.x, batch.xShape);
  const [, outH, outW, outC] = shape as [number, number, number, number];
  const mask = (classes: ArrayLike<number>, w: number, h: number): Picture => ({ width: w, height: h, rgba: maskColours(classes) });
  return Array.from({ length: n }, (_, i) => ({
    input: { width, height, rgba: imageColours(batch.x.subarray(i * height * width * channels, (i + 1) * height * width * channels), channels) },
    truth: mask(centreCrop(batch.y.subarray(i * height * width, (i + 1) * height * width), height, width, outH, outW), outW, outH),
    predicted: mask(argmaxMap(values.subarray(i * outH * outW * outC, (i + 1) * outH * outW * outC), outC, task.primary.activation === 'none' ? 0 : 0.5), outW, outH),
  }));
}
