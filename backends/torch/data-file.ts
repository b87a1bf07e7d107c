import { resolveAugment } from '../../runtime/data/augment.js';
import type { ImageSamples, OpenedData } from '../../runtime/data/source.js';
import type { ImageShape, SampleStore } from '../../runtime/data/types.js';
import { volumeArrays } from './volume-file.js';
import type { TrainConfig } from '../../runtime/train/config.js';
import { type FileSystem, NODE_FS, fileError, removeQuietly } from '../../runtime/train/files.js';

/**
 * RUNDIR/torch/data.bin: what the torch workers memory-map instead of decoding data themselves. The
 * decoded images and labels of the training pool (and of the test set, when the source has one), the
 * split's indices, and how batches are drawn (the seed and the resolved augmentation): gnet_torch's
 * sampling.py draws each epoch's order and each sample's window and flips exactly as gnet's data
 * loader does, so no epoch's order is stored and a job trains for as many epochs as it is told.
 * Layout (gnet_torch/data.py reads it): 4-byte little-endian header length, a JSON header naming
 * each array's offset, dtype and shape, then the arrays (little-endian, each at a 64-byte aligned offset).
 */
export interface ArraySpec {
  readonly dtype: 'uint8' | 'int16' | 'int32' | 'float32';
  readonly shape: number[];
  readonly data: Uint8Array | Int16Array | Int32Array | Float32Array;
}

const ALIGN = 64;
export const DATA_FILE_VERSION = 2;

export function writeDataFile(path: string, data: OpenedData, config: Pick<TrainConfig, 'seed' | 'augment'>, io: FileSystem = NODE_FS): void {
  const laid = data.samples.kind === 'volumes' ? volumeArrays(data.samples, config.seed) : imageArrays(data.samples, data.info.inputShape as ImageShape, config);
  try {
    writeLaidOut(path, laid.header, laid.arrays, io);
  } catch (error) {
    removeQuietly(`${path}.partial`, io);
    throw fileError(error, `write the training data for the torch workers to ${path}`);
  }
}

function imageArrays(samples: ImageSamples, target: ImageShape, config: Pick<TrainConfig, 'seed' | 'augment'>): { header: Record<string, unknown>; arrays: Record<string, ArraySpec> } {
  const { train, validation, test } = samples;
  // Only the images the splits use: a run on 1 000 of Fashion-MNIST's 60 000 writes 1 000 (plus validation).
  const { pool, remap } = usedSamples(samples.pool, [train, validation]);
  const arrays: Record<string, ArraySpec> = {
    ...storeArrays(pool, 'pixels', 'labels'),
    train: { dtype: 'int32', shape: [train.length], data: remap(train) },
    validation: { dtype: 'int32', shape: [validation.length], data: remap(validation) },
    ...(test ? storeArrays(test, 'testPixels', 'testLabels') : {}),
  };
  const augment = resolveAugment(config.augment, pool.task, target);
  return { header: { format: 'gnet-torch-data', version: DATA_FILE_VERSION, task: pool.task, imageShape: pool.imageShape, inputShape: target, seed: config.seed, augment }, arrays };
}

/** The store holding only the samples `splits` name (in storage order), and the new index of each old one. */
function usedSamples(store: SampleStore, splits: readonly Int32Array[]): { pool: SampleStore; remap: (indices: Int32Array) => Int32Array } {
  const used = [...new Set(splits.flatMap((s) => Array.from(s)))].sort((a, b) => a - b);
  const position = new Map(used.map((old, i) => [old, i]));
  const pixelsPer = store.pixels.length / Math.max(1, store.count);
  const labelsPer = store.labels.length / Math.max(1, store.count);
  const pixels = new Uint8Array(used.length * pixelsPer);
  const labels = store.labels instanceof Int32Array ? new Int32Array(used.length * labelsPer) : new Uint8Array(used.length * labelsPer);
  used.forEach((old, i) => {
    pixels.set(store.pixels.subarray(old * pixelsPer, (old + 1) * pixelsPer), i * pixelsPer);
    labels.set(store.labels.subarray(old * labelsPer, (old + 1) * labelsPer), i * labelsPer);
  });
  return { pool: { ...store, count: used.length, pixels, labels }, remap: (indices) => Int32Array.from(indices, (old) => position.get(old)!) };
}

function storeArrays(store: SampleStore, pixels: string, labels: string): Record<string, ArraySpec> {
  const [h, w, c] = store.imageShape;
  const labelShape = store.task === 'segmentation' ? [store.count, h, w] : [store.count];
  return {
    [pixels]: { dtype: 'uint8', shape: [store.count, h, w, c], data: store.pixels },
    [labels]: store.labels instanceof Int32Array ? { dtype: 'int32', shape: labelShape, data: store.labels } : { dtype: 'uint8', shape: labelShape, data: store.labels },
  };
}

function writeLaidOut(path: string, header: Record<string, unknown>, arrays: Record<string, ArraySpec>, io: FileSystem): void {
  // Offsets depend on the header's length, which depends on the offsets: reserve room, then pad.
  const names = Object.keys(arrays);
  const draft = (offsets: number[]) => Buffer.from(JSON.stringify({ ...header, arrays: Object.fromEntries(names.map((n, i) => [n, { offset: offsets[i], dtype: arrays[n]!.dtype, shape: arrays[n]!.shape }])) }), 'utf8');
  const reserve = draft(names.map(() => Number.MAX_SAFE_INTEGER)).length;
  const offsets: number[] = [];
  let at = align(4 + reserve);
  for (const name of names) {
    offsets.push(at);
    at = align(at + arrays[name]!.data.byteLength);
  }
  const json = draft(offsets);
  const head = Buffer.alloc(offsets[0] ?? align(4 + reserve), 0x20);
  head.writeUInt32LE(reserve, 0);
  json.copy(head, 4);
  const temporary = `${path}.partial`;
  const fd = io.openSync(temporary, 'w');
  try {
    writeAll(io, fd, head, 0);
    names.forEach((name, i) => {
      const { data } = arrays[name]!;
      writeAll(io, fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offsets[i]!);
    });
    // Pad the end so the last array's memory map never reaches past the file.
    writeAll(io, fd, new Uint8Array(1), Math.max(at - 1, offsets.at(-1) ?? 0));
    io.fsyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
  io.renameSync(temporary, path);
}

function writeAll(io: FileSystem, fd: number, bytes: Uint8Array, position: number): void {
  for (let written = 0; written < bytes.length; ) written += io.writeSync(fd, bytes, written, bytes.length - written, position + written);
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
