import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DATA_ERRORS, dataError } from './codes.js';
import { isGzip, parseIdx, type IdxArray } from './idx-format.js';

export { isGzip, parseIdx, type IdxArray, type IdxData, type IdxDtype, type IdxTypeCode } from './idx-format.js';

/** Reads an IDX file, gzipped or plain (told apart by the first two bytes, not by the name). */
export function readIdxFile(path: string): IdxArray {
  if (!existsSync(path)) throw dataError(DATA_ERRORS.missingFile, `IDX file not found: ${path}`);
  return decodeIdx(readFileSync(path), path);
}

export function decodeIdx(raw: Uint8Array, name: string): IdxArray {
  return parseIdx(isGzip(raw) ? gunzipOrFail(raw, name) : raw, name);
}

function gunzipOrFail(raw: Uint8Array, name: string): Uint8Array {
  try {
    return gunzipSync(raw);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw dataError(DATA_ERRORS.corruptFile, `${name} starts like gzip but cannot be unpacked (${why}); download it again`);
  }
}
