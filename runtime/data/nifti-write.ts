import { gzipSync } from 'node:zlib';
import type { VolumeShape } from './types.js';

/** What gnet writes as NIfTI-1: a mask (uint8) or a map of scores (float32), [D, H, W, C] row-major. */
export interface NiftiOut {
  readonly shape: VolumeShape;
  readonly values: Uint8Array | Float32Array;
  /** Row-major 4×4 voxel → world matrix, written as the sform (code 1, scanner). */
  readonly affine: readonly number[];
  readonly spacing: readonly [number, number, number];
  readonly description?: string;
}

const HEADER = 348;
const DATA_OFFSET = 352;

/**
 * A single-file NIfTI-1 volume (.nii bytes; gzip them for .nii.gz). nifti-reader-js only reads, so
 * gnet writes the 348-byte header itself: dims, datatype, pixdim, the sform from the affine (qform
 * code 0, so every reader uses the sform), millimetres, magic "n+1".
 */
export function encodeNifti(volume: NiftiOut, gzip: boolean): Uint8Array {
  const [D, H, W, C] = volume.shape;
  const float = volume.values instanceof Float32Array;
  const bytes = new Uint8Array(DATA_OFFSET + volume.values.byteLength);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, HEADER, true);
  const dims = C > 1 ? [4, W, H, D, C] : [3, W, H, D];
  for (let i = 0; i < 8; i++) view.setInt16(40 + 2 * i, dims[i] ?? 1, true);
  view.setInt16(70, float ? 16 : 2, true); // datatype: FLOAT32 or UINT8
  view.setInt16(72, float ? 32 : 8, true); // bitpix
  const pixdim = [1, ...volume.spacing, 1, 1, 1, 1];
  pixdim.forEach((p, i) => view.setFloat32(76 + 4 * i, p, true));
  view.setFloat32(108, DATA_OFFSET, true); // vox_offset
  view.setFloat32(112, 1, true); // scl_slope
  view.setUint8(123, 2); // xyzt_units: millimetres
  new TextEncoder().encodeInto((volume.description ?? 'gnet').slice(0, 79), bytes.subarray(148, 228));
  view.setInt16(252, 0, true); // qform_code
  view.setInt16(254, 1, true); // sform_code: scanner
  for (let row = 0; row < 3; row++) for (let col = 0; col < 4; col++) view.setFloat32(280 + 16 * row + 4 * col, volume.affine[row * 4 + col]!, true);
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  bytes.set(planar(volume.values, volume.shape), DATA_OFFSET);
  return gzip ? gzipSync(bytes) : bytes;
}

/** [D, H, W, C] interleaved → NIfTI's channel planes, as bytes (little-endian). */
function planar(values: Uint8Array | Float32Array, shape: VolumeShape): Uint8Array {
  const [D, H, W, C] = shape;
  const plane = D * H * W;
  const out = values instanceof Float32Array ? new Float32Array(values.length) : new Uint8Array(values.length);
  for (let c = 0; c < C; c++) for (let v = 0; v < plane; v++) out[c * plane + v] = values[v * C + c]!;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
