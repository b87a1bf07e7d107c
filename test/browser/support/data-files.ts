/**
 * Small data sets the playground tests write to a temporary folder: MNIST-format IDX files and
 * PNG images, with a class-dependent pattern (a bright bar whose row is the class) so a network
 * can learn them in a few steps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';

export function idxBytes(dims: readonly number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** `count` images of `size`×`size`: class c is a bar at rows proportional to c, over faint noise. */
export function patternImages(count: number, size: number, classes: number, seed = 1): { images: Uint8Array; labels: Uint8Array } {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const images = new Uint8Array(count * size * size);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % classes);
  for (let i = 0; i < count; i++) {
    const row = Math.floor(((labels[i]! + 0.5) * size) / classes);
    for (let p = 0; p < size * size; p++) {
      const y = Math.floor(p / size);
      images[i * size * size + p] = Math.abs(y - row) <= 1 ? 200 + Math.floor(random() * 55) : Math.floor(random() * 40);
    }
  }
  return { images, labels };
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** The four MNIST files of `train` + `test` images; images gzipped, labels plain (both forms in one set). */
export function writeIdxSet(dir: string, train: number, test: number, size = 28, classes = 10): string[] {
  const files: string[] = [];
  const write = (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    files.push(join(dir, name));
  };
  for (const [split, count] of [['train', train], ['t10k', test]] as const) {
    if (count === 0) continue;
    const { images, labels } = patternImages(count, size, classes, split === 'train' ? 1 : 2);
    write(`${split}-images-idx3-ubyte.gz`, gzipSync(idxBytes([count, size, size], images)));
    write(`${split}-labels-idx1-ubyte`, idxBytes([count], labels));
  }
  return files;
}

export function pngBytes(width: number, height: number, gray: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const v = gray(i % width, Math.floor(i / width));
    png.data.set([v, v, v, 255], 4 * i);
  }
  return PNG.sync.write(png);
}
