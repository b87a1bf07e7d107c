import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NIFTI1, NIFTI2, isNIFTI, readHeader, readImage } from 'nifti-reader-js';
import { DATA_ERRORS, dataError } from './codes.js';
import type { VolumeShape } from './types.js';

/**
 * One NIfTI volume as gnet holds it: voxels row-major [D, H, W, C] with W = the file's i axis
 * (fastest), H = j, D = k, which is the file's own order, so nothing is transposed but channels
 * (NIfTI stores a 4th dimension as whole volumes one after another).
 */
export interface NiftiVolume {
  readonly shape: VolumeShape;
  /** Voxel values after the file's scl_slope / scl_inter. */
  readonly voxels: Float32Array;
  /** Voxel (i, j, k) → world (x, y, z) as a row-major 4×4 matrix (sform if set, else qform, else spacing). */
  readonly affine: readonly number[];
  /** Voxel size along i, j, k. */
  readonly spacing: readonly [number, number, number];
}

/** Datatype codes gnet reads, with the typed array that views them. */
const READERS: Readonly<Record<number, { name: string; view: (buffer: ArrayBuffer) => ArrayLike<number> }>> = {
  [NIFTI1.TYPE_UINT8]: { name: 'uint8', view: (b) => new Uint8Array(b) },
  [NIFTI1.TYPE_INT8]: { name: 'int8', view: (b) => new Int8Array(b) },
  [NIFTI1.TYPE_INT16]: { name: 'int16', view: (b) => new Int16Array(b) },
  [NIFTI1.TYPE_UINT16]: { name: 'uint16', view: (b) => new Uint16Array(b) },
  [NIFTI1.TYPE_INT32]: { name: 'int32', view: (b) => new Int32Array(b) },
  [NIFTI1.TYPE_UINT32]: { name: 'uint32', view: (b) => new Uint32Array(b) },
  [NIFTI1.TYPE_FLOAT32]: { name: 'float32', view: (b) => new Float32Array(b) },
  [NIFTI1.TYPE_FLOAT64]: { name: 'float64', view: (b) => new Float64Array(b) },
};
const SUPPORTED = 'uint8, int8, int16, uint16, int32, uint32, float32 or float64';

export const isNiftiName = (name: string): boolean => /\.nii(\.gz)?$/i.test(name);

export function readNiftiFile(path: string): NiftiVolume {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw dataError(DATA_ERRORS.missingFile, `volume not found: ${path}; check the path`);
  }
  return decodeNifti(bytes, path);
}

/** Decodes a .nii or .nii.gz file's bytes; `path` names the file in every error. */
export function decodeNifti(bytes: Uint8Array, path: string): NiftiVolume {
  const raw = isGzip(bytes) ? gunzip(bytes, path) : bytes;
  const data = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  if (!isNIFTI(data)) throw dataError(DATA_ERRORS.notNifti, `${path} is not a NIfTI-1 or NIfTI-2 volume (no "n+1"/"n+2" magic at byte 344); save it as .nii or .nii.gz`);
  const header = readHeader(data) as NIFTI1 | NIFTI2;
  const shape = volumeShape(header, path);
  const reader = READERS[header.datatypeCode];
  if (!reader || header.numBitsPerVoxel !== bitsOf(reader.name)) {
    throw dataError(DATA_ERRORS.unsupportedDatatype, `${path} holds NIfTI datatype ${header.datatypeCode} (${typeName(header.datatypeCode)}); gnet reads ${SUPPORTED}: convert it, e.g. with nibabel's set_data_dtype`);
  }
  if (!header.littleEndian) throw dataError(DATA_ERRORS.unsupportedDatatype, `${path} is big-endian; gnet reads little-endian NIfTI: re-save it (nibabel writes little-endian)`);
  const count = shape[0] * shape[1] * shape[2] * shape[3];
  const bytesNeeded = count * (header.numBitsPerVoxel / 8);
  const image = readImage(header, data);
  if (image.byteLength < bytesNeeded) {
    throw dataError(DATA_ERRORS.notNifti, `${path} is cut short: its header declares ${fileDims(header).join('×')} voxels of ${reader.name} (${bytesNeeded} bytes from offset ${header.vox_offset}) but only ${image.byteLength} bytes follow; the file is truncated, copy it again`);
  }
  const values = reader.view(image.slice(0, bytesNeeded));
  return { shape, voxels: interleave(values, shape, scaling(header)), affine: header.affine.flat(), spacing: [header.pixDims[1]!, header.pixDims[2]!, header.pixDims[3]!] };
}

function volumeShape(header: NIFTI1 | NIFTI2, path: string): VolumeShape {
  const rank = header.dims[0]!;
  const dims = header.dims.slice(1, rank + 1);
  // Trailing singleton dimensions (a 3-D volume saved as X×Y×Z×1) are the same volume.
  while (dims.length > 3 && dims.at(-1) === 1) dims.pop();
  if (dims.length < 3 || dims.length > 4 || dims.some((d) => !(d >= 1))) {
    throw dataError(DATA_ERRORS.badDimensions, `${path} has ${rank} dimension(s) [${fileDims(header).join('×')}]; gnet reads 3-D volumes X×Y×Z, or X×Y×Z×C with C channels (modalities)`);
  }
  const [x, y, z, c = 1] = dims as number[];
  return [z!, y!, x!, c];
}

/** The dimensions as the file lists them (i fastest). */
const fileDims = (header: NIFTI1 | NIFTI2): number[] => header.dims.slice(1, header.dims[0]! + 1);

const scaling = (header: NIFTI1 | NIFTI2) => {
  const slope = header.scl_slope;
  return Number.isFinite(slope) && slope !== 0 ? { slope, inter: Number.isFinite(header.scl_inter) ? header.scl_inter : 0 } : { slope: 1, inter: 0 };
};

/** File order (channel planes one after another) → [D, H, W, C] with channels interleaved, scaled. */
function interleave(values: ArrayLike<number>, shape: VolumeShape, s: { slope: number; inter: number }): Float32Array {
  const [D, H, W, C] = shape;
  const plane = D * H * W;
  const out = new Float32Array(plane * C);
  for (let c = 0; c < C; c++) for (let v = 0; v < plane; v++) out[v * C + c] = values[c * plane + v]! * s.slope + s.inter;
  return out;
}

const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

function gunzip(bytes: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw dataError(DATA_ERRORS.badGzip, `${path} is a damaged gzip file (${why}); the download or copy was probably cut short: copy it again, or check it with \`gzip -t\``);
  }
}

const bitsOf = (name: string): number => Number(/\d+$/.exec(name)![0]);

function typeName(code: number): string {
  const names: Record<number, string> = { 1: 'binary', 32: 'complex64', 128: 'rgb24', 1024: 'int64', 1280: 'uint64', 1536: 'float128', 1792: 'complex128', 2048: 'complex256', 2304: 'rgba32' };
  return names[code] ?? 'unknown';
}
