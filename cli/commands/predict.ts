import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { toChannels } from '../../runtime/data/folder.js';
import type { DataInfo } from '../../runtime/data/source.js';
import type { ImageShape } from '../../runtime/data/types.js';
import { TRAIN_ERRORS, trainError } from '../../runtime/train/codes.js';
import { predictBatch } from '../../runtime/train/evaluate.js';
import { makeFolder, writeFileAtomic } from '../../runtime/train/files.js';
import { argmaxMap } from '../../runtime/train/panels.js';
import { encodePng } from '../../runtime/train/png.js';
import { describeTask } from '../../runtime/train/targets.js';
import { relativePath } from '../load.js';
import { loadTrainedRun, printGnetError, reportCompileFailure } from './model.js';
import { predictVolumes, volumeNetwork } from './predict-volumes.js';

export interface PredictOptions {
  readonly out: string;
  readonly backend: string;
  /** Predict with a checkpoint instead of the final model: best, last or a manifest file name. */
  readonly checkpoint?: string;
  /** Volumes: share of a sliding window its neighbour overlaps (default 0.5). */
  readonly overlap?: number;
}

/**
 * `gnet predict RUNDIR IMAGE…`: class scores per image (printed, and in predictions.json), or for
 * segmentation one PNG mask per image whose gray value is the class index (as folder datasets expect);
 * for a network on volumes, a NIfTI mask per volume (predict-volumes.ts).
 */
export async function predict(dir: string, images: readonly string[], options: PredictOptions): Promise<number> {
  try {
    const run = await loadTrainedRun(dir, options.backend, options.checkpoint);
    if ('failed' in run) return reportCompileFailure(run.failed);
    const { module, info } = run.spec.model;
    const task = describeTask(module.meta, info.outputs, run.record.train.loss);
    const classNames = readClassNames(run.paths.data);
    const inputShape = task.input.shape;
    if (inputShape.length === 4) {
      const results = await predictVolumes(volumeNetwork(module, run.weights, task), images, options.out, options.overlap ?? 0.5);
      writeFileAtomic(join(options.out, 'predictions.json'), JSON.stringify(results, null, 2));
      tf.dispose(Object.values(run.weights));
      return 0;
    }
    // Every image is read before any is predicted, so a bad one stops the command before it writes.
    const inputs = images.map((path) => readImage(path, inputShape));
    makeFolder(options.out);
    const used = new Set<string>();
    const predictOne = async (path: string, index: number) => {
      const { x, height, width } = inputs[index]!;
      const { values, shape } = await predictBatch(module, run.weights, task, x, [1, ...inputShape]);
      const channels = shape[shape.length - 1]!;
      const threshold = task.primary.activation === 'none' ? 0 : 0.5;
      if (task.task === 'classification') {
        const [best] = argmaxMap(values, channels, threshold);
        const scores = Array.from(values, (v) => Number(v.toFixed(6)));
        process.stdout.write(`${path}: ${classNames?.[best!] ?? `class ${best}`} (${channels === 1 ? scores[0] : scores[best!]})\n`);
        return { image: path, class: best!, name: classNames?.[best!], scores };
      }
      const mask = placeMask(argmaxMap(values, channels, threshold), shape, inputShape, height, width);
      const name = basename(path, extname(path));
      const file = join(options.out, `${used.has(name) ? `${name}-${index + 1}` : name}.png`);
      used.add(name);
      writeFileAtomic(file, encodePng(mask.width, mask.height, grayRgba(mask.classes)));
      process.stdout.write(`${path}: mask ${relativePath(file)}\n`);
      return { image: path, mask: file };
    };
    const results = [];
    // One image at a time: each awaits its own asynchronous read.
    for (const [index, path] of images.entries()) results.push(await predictOne(path, index));
    writeFileAtomic(join(options.out, 'predictions.json'), JSON.stringify(results, null, 2));
    tf.dispose(Object.values(run.weights));
    return 0;
  } catch (error) {
    if (printGnetError(error)) return 1;
    throw error;
  }
}

function readClassNames(path: string): readonly string[] | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DataInfo).classNames : undefined;
}

/** The image in [0, 1], centred on a zero canvas of the input's size (as the data loader pads). */
export function readImage(path: string, input: ImageShape): { x: Float32Array; height: number; width: number } {
  const [H, W, C] = input;
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (cause as Error).message;
    throw trainError(TRAIN_ERRORS.badImage, `cannot read ${path} as a PNG image (${why}); give PNG files`);
  }
  if (png.height > H || png.width > W) {
    throw trainError(TRAIN_ERRORS.badImage, `${path} is ${png.height}×${png.width}, larger than the network input ${H}×${W}; crop or resize it to at most ${H}×${W}`);
  }
  const pixels = toChannels(png, C);
  const x = new Float32Array(H * W * C);
  const top = Math.floor((H - png.height) / 2);
  const left = Math.floor((W - png.width) / 2);
  for (let y = 0; y < png.height; y++) {
    for (let col = 0; col < png.width; col++) {
      for (let c = 0; c < C; c++) x[((top + y) * W + left + col) * C + c] = pixels[(y * png.width + col) * C + c]! / 255;
    }
  }
  return { x, height: png.height, width: png.width };
}

/** The predicted mask cut back to the image's own area when the output has the input's size. */
function placeMask(classes: Uint8Array, shape: readonly number[], input: ImageShape, height: number, width: number): { classes: Uint8Array; width: number; height: number } {
  const [, outH, outW] = shape as [number, number, number, number];
  if (outH !== input[0] || outW !== input[1]) return { classes, width: outW, height: outH };
  const top = Math.floor((outH - height) / 2);
  const left = Math.floor((outW - width) / 2);
  const cut = Uint8Array.from({ length: height * width }, (_, i) => classes[(top + Math.floor(i / width)) * outW + left + (i % width)]!);
  return { classes: cut, width, height };
}

function grayRgba(classes: Uint8Array): Uint8Array {
  const out = new Uint8Array(classes.length * 4);
  classes.forEach((c, i) => out.set([c, c, c, 255], 4 * i));
  return out;
}
