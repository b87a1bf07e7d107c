import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { drawTransform, resolveAugment, windowStart } from '../../runtime/data/augment.js';
import { epochOrder } from '../../runtime/data/dataset.js';
import { STREAM, hashSeed, seededRandom } from '../../runtime/data/random.js';
import type { OpenedData } from '../../runtime/data/source.js';
import type { TrainConfig } from '../../runtime/train/config.js';

/**
 * RUNDIR/torch/data.bin: what the Python trainer memory-maps instead of decoding data itself. The
 * decoded images and labels of the pool, the split's indices, every epoch's sample order and, with
 * augmentation, every (epoch, position)'s transform — all drawn here by gnet's one data loader, so the
 * torch backend sees the batches any other backend would. Layout (gnet_torch/data.py reads it):
 * 4-byte little-endian header length, a JSON header naming each array's offset, dtype and shape, then
 * the arrays (little-endian, each at a 64-byte aligned offset).
 */
interface ArraySpec {
  readonly dtype: 'uint8' | 'int16' | 'int32';
  readonly shape: number[];
  readonly data: Uint8Array | Int16Array | Int32Array;
}

const ALIGN = 64;

export function writeDataFile(path: string, data: OpenedData, config: TrainConfig): void {
  const { pool, train, validation } = data.samples;
  const target = data.info.inputShape;
  const [h, w, c] = pool.imageShape;
  const arrays: Record<string, ArraySpec> = {
    pixels: { dtype: 'uint8', shape: [pool.count, h, w, c], data: pool.pixels },
    labels: pool.labels instanceof Int32Array
      ? { dtype: 'int32', shape: pool.task === 'segmentation' ? [pool.count, h, w] : [pool.count], data: pool.labels }
      : { dtype: 'uint8', shape: pool.task === 'segmentation' ? [pool.count, h, w] : [pool.count], data: pool.labels },
    train: { dtype: 'int32', shape: [train.length], data: train },
    validation: { dtype: 'int32', shape: [validation.length], data: validation },
    orders: { dtype: 'int32', shape: [config.epochs, train.length], data: orders(train, config) },
  };
  const augment = resolveAugment(config.augment, pool.task, target);
  if (augment) arrays.transforms = { dtype: 'int16', shape: [config.epochs, train.length, 5], data: transforms(train.length, config, pool.imageShape, target, augment) };
  const centre = [windowStart(h, target[0]), windowStart(w, target[1])];
  writeLaidOut(path, { format: 'gnet-torch-data', version: 1, task: pool.task, imageShape: pool.imageShape, inputShape: target, centre }, arrays);
}

/** The order of every epoch, as the tfjs loop's `batches(…, { shuffle: true, seed, epoch })` draws it. */
function orders(train: Int32Array, config: TrainConfig): Int32Array {
  const out = new Int32Array(config.epochs * train.length);
  for (let epoch = 0; epoch < config.epochs; epoch++) out.set(epochOrder(train, { shuffle: true, seed: config.seed, epoch }), epoch * train.length);
  return out;
}

/** (top, left, flipH, flipV, turns) per (epoch, position): the draws dataset.ts makes per batch slot. */
function transforms(count: number, config: TrainConfig, source: OpenedData['info']['imageShape'], target: OpenedData['info']['inputShape'], augment: NonNullable<ReturnType<typeof resolveAugment>>): Int16Array {
  const out = new Int16Array(config.epochs * count * 5);
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let position = 0; position < count; position++) {
      const t = drawTransform(source, target, augment, seededRandom(hashSeed(STREAM.augment, config.seed, epoch, position)));
      out.set([t.top, t.left, t.flipHorizontal ? 1 : 0, t.flipVertical ? 1 : 0, t.quarterTurns], (epoch * count + position) * 5);
    }
  }
  return out;
}

function writeLaidOut(path: string, header: Record<string, unknown>, arrays: Record<string, ArraySpec>): void {
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
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, head);
    names.forEach((name, i) => {
      const { data } = arrays[name]!;
      writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, offsets[i]);
    });
    // Pad the end so the last array's memory map never reaches past the file.
    writeSync(fd, Buffer.alloc(1), 0, 1, Math.max(at - 1, offsets.at(-1) ?? 0));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
