import { DATA_ERRORS, dataError } from './codes.js';

/** The IDX format itself, without Node: the CLI reads files through idx.ts, the playground through File objects. */

/** IDX element types (LeCun's format): code in the third magic byte, size in bytes. */
const IDX_TYPES = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'sbyte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
} as const;

export type IdxTypeCode = keyof typeof IDX_TYPES;
export type IdxDtype = (typeof IDX_TYPES)[IdxTypeCode]['name'];
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly dims: readonly number[];
  readonly data: IdxData;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Gzip is told apart by its first two bytes, not by the file name. */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];

/** Parses the bytes of an IDX file that is not (or no longer) gzipped. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const corrupt = (why: string) => dataError(DATA_ERRORS.corruptFile, `${name} is not a valid IDX file: ${why}`);
  if (bytes.length < 4) throw corrupt(`only ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw corrupt('the magic number does not start with two zero bytes');
  const type = IDX_TYPES[bytes[2] as IdxTypeCode];
  if (!type) throw corrupt(`unknown element type 0x${bytes[2].toString(16).padStart(2, '0')}`);
  const rank = bytes[3];
  if (rank === 0) throw corrupt('zero dimensions');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw corrupt(`truncated header: ${rank} dimensions need ${headerBytes} bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1) * type.bytes;
  const found = bytes.length - headerBytes;
  if (found < expected) throw corrupt(`truncated: dimensions ${dims.join('×')} need ${expected} data bytes, found ${found}`);
  if (found > expected) throw corrupt(`${found - expected} bytes after the ${dims.join('×')} ${type.name} data`);
  return { dtype: type.name, dims, data: decodeElements(type.name, bytes.subarray(headerBytes), view, headerBytes) };
}

/** IDX stores multi-byte elements big-endian, so only bytes can be viewed without copying. */
function decodeElements(dtype: IdxDtype, body: Uint8Array, view: DataView, offset: number): IdxData {
  switch (dtype) {
    case 'ubyte':
      return body;
    case 'sbyte':
      return new Int8Array(body.buffer, body.byteOffset, body.length);
    case 'short':
      return Int16Array.from({ length: body.length / 2 }, (_, i) => view.getInt16(offset + 2 * i, false));
    case 'int':
      return Int32Array.from({ length: body.length / 4 }, (_, i) => view.getInt32(offset + 4 * i, false));
    case 'float':
      return Float32Array.from({ length: body.length / 4 }, (_, i) => view.getFloat32(offset + 4 * i, false));
    case 'double':
      return Float64Array.from({ length: body.length / 8 }, (_, i) => view.getFloat64(offset + 8 * i, false));
  }
}
