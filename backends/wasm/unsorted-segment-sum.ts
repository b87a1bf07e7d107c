import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Missing from the wasm package; the gradient of tf.gather needs it. No wasm kernel scatters-adds
 * rows, so this one adds them in JavaScript, reading and writing the wasm heap in place: one pass,
 * O(size of x). Ids outside [0, numSegments) are dropped, as on the cpu backend.
 */
export const unsortedSegmentSumKernel: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, segmentIds } = inputs as Record<'x' | 'segmentIds', tf.TensorInfo>;
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    const wasm = backend as BackendWasm;
    const rowSize = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
    const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
    // Views are taken after makeOutput: allocating may grow the heap and detach earlier views.
    const sums = wasm.typedArrayFromHeap(out);
    const values = wasm.typedArrayFromHeap(x);
    const ids = wasm.typedArrayFromHeap(segmentIds);
    sums.fill(0);
    for (let row = 0; row < ids.length; row++) {
      const segment = ids[row];
      if (segment < 0 || segment >= numSegments) continue;
      const from = row * rowSize;
      const to = segment * rowSize;
      for (let i = 0; i < rowSize; i++) sums[to + i] += values[from + i];
    }
    return out;
  },
};
