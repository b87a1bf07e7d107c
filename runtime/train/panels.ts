import type { Dataset } from '../data/types.js';
import { predictBatch } from './evaluate.js';
import type { GeneratedModel, Weights } from './model.js';
import { imageColours, maskColours, encodePng, pngDataUrl, upscale } from './png.js';
import type { TaskInfo } from './targets.js';

/** One row of the report's segmentation figure: the input image, the true mask and the predicted one. */
export interface Panel {
  readonly input: string;
  readonly truth: string;
  readonly prediction: string;
}

/** Images are scaled up to about this many pixels across, so small inputs are visible. */
const TARGET_WIDTH = 160;

/** Panels for the first `count` images of `dataset` (in storage order, no augmentation). */
export async function segmentationPanels(module: GeneratedModel, weights: Weights, task: TaskInfo, dataset: Dataset, count = 4): Promise<Panel[]> {
  const [batch] = dataset.batches(count);
  if (!batch || task.task !== 'segmentation') return [];
  const [n, height, width, channels] = batch.xShape;
  const { values, shape } = await predictBatch(module, weights, task, batch.x, batch.xShape);
  const [, outH, outW, outC] = shape as [number, number, number, number];
  const picture = (rgba: Uint8Array, w: number, h: number) => {
    const scaled = upscale(rgba, w, h, Math.max(1, Math.round(TARGET_WIDTH / w)));
    return pngDataUrl(encodePng(scaled.width, scaled.height, scaled.rgba));
  };
  return Array.from({ length: n }, (_, i) => {
    const pixels = batch.x.subarray(i * height * width * channels, (i + 1) * height * width * channels);
    const truth = centreCrop(batch.y.subarray(i * height * width, (i + 1) * height * width), height, width, outH, outW);
    const predicted = argmaxMap(values.subarray(i * outH * outW * outC, (i + 1) * outH * outW * outC), outC, task.primary.activation === 'none' ? 0 : 0.5);
    return { input: picture(imageColours(pixels, channels), width, height), truth: picture(maskColours(truth), outW, outH), prediction: picture(maskColours(predicted), outW, outH) };
  });
}

/** Per pixel the class with the largest score, or for one channel the score against `threshold`. */
export function argmaxMap(scores: ArrayLike<number>, channels: number, threshold: number): Uint8Array {
  const pixels = scores.length / channels;
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    if (channels === 1) {
      out[p] = scores[p]! > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < channels; c++) if (scores[p * channels + c]! > scores[p * channels + best]!) best = c;
    out[p] = best;
  }
  return out;
}

function centreCrop(mask: ArrayLike<number>, height: number, width: number, h: number, w: number): Uint8Array {
  const top = Math.floor((height - h) / 2);
  const left = Math.floor((width - w) / 2);
  return Uint8Array.from({ length: h * w }, (_, i) => mask[(top + Math.floor(i / w)) * width + left + (i % w)]!);
}
