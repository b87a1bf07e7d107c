import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import * as assert from 'uvu/assert';
import { GnetError } from '../../runtime/errors.js';

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `gnet-${prefix}-`));

export function writeFile(path: string, bytes: Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** Independent IDX writer for the tests: header by hand, elements big-endian through DataView. */
const TYPE_CODES = { ubyte: [0x08, 1], sbyte: [0x09, 1], short: [0x0b, 2], int: [0x0c, 4], float: [0x0d, 4], double: [0x0e, 8] } as const;
export type TestDtype = keyof typeof TYPE_CODES;

export function encodeIdx(dtype: TestDtype, dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const [code, size] = TYPE_CODES[dtype];
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out.set([0, 0, code, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * size;
    const v = values[i];
    if (dtype === 'ubyte') view.setUint8(at, v);
    else if (dtype === 'sbyte') view.setInt8(at, v);
    else if (dtype === 'short') view.setInt16(at, v);
    else if (dtype === 'int') view.setInt32(at, v);
    else if (dtype === 'float') view.setFloat32(at, v);
    else view.setFloat64(at, v);
  }
  return out;
}

/** Writes an RGBA PNG from a per-pixel colour function. */
export function writePng(path: string, height: number, width: number, colour: (y: number, x: number) => readonly number[]): string {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colour(y, x);
      const rgb = c.length === 1 ? [c[0], c[0], c[0]] : c;
      png.data.set([...rgb, 255], 4 * (y * width + x));
    }
  }
  return writeFile(path, PNG.sync.write(png));
}

/** Runs `action` and checks it throws a GnetError with `code` whose message contains every `fragment`. */
export function throwsGnet(action: () => unknown, code: string, ...fragments: string[]): GnetError {
  try {
    action();
  } catch (error) {
    assert.instance(error, GnetError);
    const e = error as GnetError;
    assert.is(e.code, code, `code of: ${e.message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" should mention "${f}"`);
    assert.not.ok(e.message.includes('\n'), 'one-line message');
    return e;
  }
  throw new assert.Assertion({ message: `expected a GnetError ${code}`, operator: 'throws', generated: true, actual: undefined, expects: code });
}

/** Collects every batch of an iterator. */
export const collect = <T>(iterator: Iterable<T>): T[] => [...iterator];
