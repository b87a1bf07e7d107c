import type { NamedArray } from './engine.js';

/**
 * Named arrays laid out as tf.io.encodeWeights lays out float32 and int32 tensors (each array's
 * little-endian bytes, one after the other, described by {name, shape, dtype}), so checkpoints stay
 * readable by TensorFlow.js' loaders while no engine's tensors are needed to write or read them.
 */
export interface ArraySpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
}

export function encodeArrays(arrays: readonly NamedArray[]): { bytes: Uint8Array; specs: ArraySpec[] } {
  const total = arrays.reduce((sum, a) => sum + a.values.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const a of arrays) {
    checkSize(a.name, a.shape, a.values.length);
    bytes.set(new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), at);
    at += a.values.byteLength;
  }
  return { bytes, specs: arrays.map((a) => ({ name: a.name, shape: [...a.shape], dtype: a.dtype })) };
}

/** The arrays `specs` describe, copied out of `bytes`; throws on a size mismatch. */
export function decodeArrays(bytes: Uint8Array, specs: readonly ArraySpec[]): NamedArray[] {
  let at = 0;
  return specs.map((spec) => {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const length = count * 4;
    if (at + length > bytes.length) throw new RangeError(`${spec.name} runs past the end of the data (${at + length} > ${bytes.length} bytes)`);
    // A copy, aligned for the typed array (a Node Buffer's slice would share and misalign its pool).
    const copy = new Uint8Array(length);
    copy.set(bytes.subarray(at, at + length));
    at += length;
    const values = spec.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return { name: spec.name, shape: spec.shape, dtype: spec.dtype, values };
  });
}

function checkSize(name: string, shape: readonly number[], length: number): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== length) throw new RangeError(`${name} has ${length} values but its shape [${shape.join(', ')}] holds ${count}`);
}
