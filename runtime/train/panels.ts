import type { Dataset } from '../data/types.js';
import { argmaxMap, centreCrop } from './class-maps.js';
import { predictBatch } from './evaluate.js';
import type { GeneratedModel, Weights } from './model.js';
import { imageColours, maskColours, encodePng, pngDataUrl, upscale } from './png.js';
import type { TaskInfo } from './targets.js';

export { argmaxMap } from './class-maps.js';

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
