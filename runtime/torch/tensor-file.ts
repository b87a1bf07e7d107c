/**
 * The tensor file the Python runtime's tensorfile.py reads and writes: a 4-byte little-endian header
 * length, a UTF-8 JSON header {"tensors": [{"name", "shape"}], …} and each tensor's float32 values,
 * little-endian, row-major, in header order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { GnetError } from '../errors.js';

const LITTLE_ENDIAN = endianness() === 'LE';

export interface NamedArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export function encodeTensors(arrays: ReadonlyMap<string, NamedArray>, extra: Readonly<Record<string, unknown>> = {}): Buffer {
  const header = Buffer.from(JSON.stringify({ ...extra, tensors: [...arrays].map(([name, a]) => ({ name, shape: a.shape })) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const bodies = [...arrays.values()].map((a) => {
    if (LITTLE_ENDIAN) return Buffer.from(a.values.buffer, a.values.byteOffset, a.values.byteLength);
    const body = Buffer.alloc(a.values.length * 4);
    a.values.forEach((v, i) => body.writeFloatLE(v, i * 4));
    return body;
  });
  return Buffer.concat([length, header, ...bodies]);
}

export function writeTensors(path: string, arrays: ReadonlyMap<string, NamedArray>, extra: Readonly<Record<string, unknown>> = {}): void {
  writeFileSync(path, encodeTensors(arrays, extra));
}

export interface TensorFile {
  readonly header: Readonly<Record<string, unknown>>;
  readonly arrays: Map<string, NamedArray>;
}

export function readTensors(path: string): TensorFile {
  const data = readFileSync(path);
  const length = data.readUInt32LE(0);
  let header: { tensors?: { name: string; shape: number[] }[] } & Record<string, unknown>;
  try {
    header = JSON.parse(data.subarray(4, 4 + length).toString('utf8'));
  } catch {
    throw new GnetError('GN9034', `${path} is not a gnet tensor file (its header is not JSON); write it with writeTensors`);
  }
  const arrays = new Map<string, NamedArray>();
  let at = 4 + length;
  for (const { name, shape } of header.tensors ?? []) {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    if (LITTLE_ENDIAN) new Uint8Array(values.buffer).set(data.subarray(at, at + 4 * count));
    else for (let i = 0; i < count; i++) values[i] = data.readFloatLE(at + 4 * i);
    arrays.set(name, { shape, values });
    at += 4 * count;
  }
  return { header, arrays };
}
