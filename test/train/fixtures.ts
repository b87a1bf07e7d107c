/**
 * Shared material for the training tests: two tiny specs (a gauss classifier on a generated IDX
 * dataset, a small segmenter on synthetic cells), a spec compiler from memory and the cpu backend.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileForTraining, type CompiledSpec } from '../../cli/commands/model.js';
import { openDataset, parseDataSource } from '../../runtime/data/index.js';
import { resolveConfig, type TrainConfig, type TrainFlags } from '../../runtime/train/config.js';
import type { OpenedData } from '../../runtime/data/source.js';
import { describeTask } from '../../runtime/train/targets.js';
import { encodeIdx, tempDir, writeFile } from '../data/helpers.js';

export { tempDir };
export { useCpu } from './cpu.js';

/** A gauss classifier with batchnorm and the training-only fre and dropout, for 12×12 bar images (writeBarsDataset). */
export const CLASSIFIER_SPEC = (data: string, train = '') => `
network TinyGauss(classes = 3) {
  input image: 12 x 12 x 1
  x = image -> gauss(4, size=5, order=1, bases=2) -> batchnorm -> relu -> fre(2) -> maxpool(2)
  output scores = x -> conv(6, size=3) -> relu -> global_avgpool -> dropout(0.2) -> dense(classes) -> softmax
  train { data = "${data}" loss = crossentropy optimizer = adam(lr = 0.02) epochs = 2 batch = 8 ${train} }
}`;

/** 16×16 synthetic cells: a gauss layer, a deep-supervision output at half resolution, a full-size mask. */
export const SEGMENTER_SPEC = (train = '') => `
network TinyCells {
  input image: 16 x 16 x 1
  a = image -> gauss(4, size=5, order=2, bases=2, mix=separated) -> batchnorm -> relu
  b = a -> maxpool(2) -> conv(8, size=3) -> relu
  output aux = b -> conv(2, size=1) -> softmax
  output mask = b -> upsample(2) -> concat(a) -> conv(2, size=1) -> softmax
  train {
    data = "synthetic-cells:24"
    loss = [crossentropy(on = "mask"), dice(on = "mask", weight = 0.5), crossentropy(on = "aux", weight = 0.3)]
    optimizer = adam(lr = 0.02) epochs = 1 batch = 8 metrics = [accuracy, miou, dice, iou] ${train}
  }
}`;

/** Writes train-images / train-labels IDX files of `count` bar images into a new folder. */
export function writeBarsDataset(count: number, seed = 7): string {
  const dir = tempDir('bars');
  const size = 12;
  const pixels = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const bar = label === 0 ? y < 3 : label === 1 ? y >= size - 3 : x < 3;
        pixels[(i * size + y) * size + x] = Math.min(255, Math.round((bar ? 200 : 30) + 50 * random()));
      }
    }
  }
  writeFile(join(dir, 'train-images-idx3-ubyte'), encodeIdx('ubyte', [count, size, size], pixels));
  writeFile(join(dir, 'train-labels-idx1-ubyte'), encodeIdx('ubyte', [count], labels));
  return dir;
}

export function memoryHost(files: Record<string, string>) {
  return { readFile: (path: string) => files[path] };
}

export async function compileSpec(source: string, entry = '/specs/tiny.gnet'): Promise<CompiledSpec> {
  const outcome = await compileForTraining({ entry }, memoryHost({ [entry]: source }));
  if (!outcome.ok) throw new Error(`spec does not compile: ${outcome.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return outcome.spec;
}

export interface Prepared {
  readonly spec: CompiledSpec;
  readonly config: TrainConfig;
  readonly data: OpenedData;
}

/** Compiles a spec, resolves its training section with `flags` and opens its data. */
export async function prepare(source: string, flags: TrainFlags = {}): Promise<Prepared> {
  const spec = await compileSpec(source);
  const { module, info } = spec.model;
  const config = resolveConfig(module.meta.training as never, flags, module.meta.network);
  const task = describeTask(module.meta, info.outputs, config.loss);
  const data = openDataset(parseDataSource(config.data), {
    inputShape: task.input.shape,
    classes: task.classes,
    task: task.task,
    validationSplit: config.validationSplit,
    seed: config.seed,
  });
  return { spec, config, data };
}

export function runFolder(): string {
  const dir = join(tempDir('run'), 'run');
  mkdirSync(dir, { recursive: true });
  return dir;
}
