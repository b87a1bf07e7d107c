import type { Dataset } from '../data/types.js';
import { predictBatch } from './evaluate.js';
import { addToConfusion, emptyConfusion, type Confusion } from './metrics.js';
import type { GeneratedModel, Weights } from './model.js';
import { argmaxMap } from './panels.js';
import { encodePng, imageColours, pngDataUrl, upscale } from './png.js';
import type { TaskInfo } from './targets.js';

/**
 * The report's predictions section for a classification run: the confusion matrix of the trained
 * model over the validation images (row = true class, column = predicted), and the first few images
 * with their predicted and true labels.
 */
export interface ClassificationPredictions {
  readonly classNames: readonly string[];
  readonly confusion: Confusion;
  /** Images the matrix counts. */
  readonly images: number;
  /** Which images: 'validation', or 'training' for a run without a validation split. */
  readonly split: string;
  readonly samples: readonly PredictionSample[];
}

export interface PredictionSample {
  /** The input image as a PNG data URL. */
  readonly image: string;
  readonly predicted: number;
  readonly truth: number;
  /** The predicted class's probability (softmax or sigmoid outputs; null for logits). */
  readonly probability: number | null;
}

export interface PredictionOptions {
  /** Images shown with their labels. */
  readonly samples?: number;
  /** At most this many images are counted, so the report stays quick on a large validation set. */
  readonly limit?: number;
  readonly batch?: number;
  /** What the dataset is, for the report's text. */
  readonly split?: string;
}

/** Sample images are scaled up to about this many pixels across. */
const SAMPLE_WIDTH = 84;

/** Null for a segmentation task (its report shows mask panels instead). */
export async function classificationPredictions(module: GeneratedModel, weights: Weights, task: TaskInfo, dataset: Dataset, classNames: readonly string[] | undefined, options: PredictionOptions = {}): Promise<ClassificationPredictions | null> {
  if (task.task !== 'classification' || dataset.size === 0) return null;
  const { samples: wanted = 16, limit = 10_000, batch: batchSize = 64, split = 'validation' } = options;
  const confusion = emptyConfusion(task.classes);
  const samples: PredictionSample[] = [];
  const threshold = task.primary.activation === 'none' ? 0 : 0.5;
  let images = 0;
  for (const batch of dataset.batches(batchSize)) {
    if (images >= limit) break;
    const [n, height, width, channels] = batch.xShape;
    const { values, shape } = await predictBatch(module, weights, task, batch.x, batch.xShape);
    const outC = shape.at(-1)!;
    const predicted = argmaxMap(values, outC, threshold);
    const take = Math.min(n, limit - images);
    addToConfusion(confusion, batch.y.subarray(0, take), predicted.subarray(0, take));
    images += take;
    for (let i = 0; i < take && samples.length < wanted; i++) {
      const pixels = batch.x.subarray(i * height * width * channels, (i + 1) * height * width * channels);
      const scaled = upscale(imageColours(pixels, channels), width, height, Math.max(1, Math.round(SAMPLE_WIDTH / width)));
      const score = outC === 1 ? (predicted[i] === 1 ? values[i]! : 1 - values[i]!) : values[i * outC + predicted[i]!]!;
      const probability = task.primary.activation === 'none' ? null : score;
      samples.push({ image: pngDataUrl(encodePng(scaled.width, scaled.height, scaled.rgba)), predicted: predicted[i]!, truth: batch.y[i]!, probability });
    }
  }
  const names = Array.from({ length: task.classes }, (_, c) => classNames?.[c] ?? `class ${c}`);
  return { classNames: names, confusion, images, split, samples };
}
