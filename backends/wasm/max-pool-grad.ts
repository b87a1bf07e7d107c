import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Shape4 = [number, number, number, number];

/**
 * Replaces the wasm package's MaxPoolGrad, which starts each window's running maximum at 0
 * instead of −∞: a window whose values are all negative passes no gradient at all. No wasm
 * kernel routes a gradient to an argmax, so this is a JavaScript loop over the heap, one pass
 * over each window (as the native kernel does); ties go to the first maximum, as on cpu.
 */
export const maxPoolGradKernel: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, input } = inputs as Record<'dy' | 'input', tf.TensorInfo>;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
    const wasm = backend as BackendWasm;
    const out = wasm.makeOutput(input.shape, 'float32');
    // Views are taken after makeOutput: allocating may grow the heap and detach earlier views.
    const dx = wasm.typedArrayFromHeap(out);
    dx.fill(0);
    routeToMaxima(wasm.typedArrayFromHeap(input), wasm.typedArrayFromHeap(dy), dx, info);
    return out;
  },
};

function routeToMaxima(x: tf.backend_util.TypedArray, dy: tf.backend_util.TypedArray, dx: tf.backend_util.TypedArray, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const best = new Float32Array(channels);
  const source = new Int32Array(channels);
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * info.strideHeight - info.padInfo.top;
      const rows = [Math.max(top, 0), Math.min(top + info.effectiveFilterHeight, inHeight)];
      for (let ox = 0; ox < outWidth; ox++, dyAt += channels) {
        const left = ox * info.strideWidth - info.padInfo.left;
        const cols = [Math.max(left, 0), Math.min(left + info.effectiveFilterWidth, inWidth)];
        best.fill(-Infinity);
        source.fill(-1);
        for (let y = rows[0]; y < rows[1]; y++) {
          for (let xc = cols[0]; xc < cols[1]; xc++) {
            const at = ((b * inHeight + y) * inWidth + xc) * channels;
            for (let c = 0; c < channels; c++) {
              if (x[at + c] > best[c]) {
                best[c] = x[at + c];
                source[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) if (source[c] >= 0) dx[source[c]] += dy[dyAt + c];
      }
    }
  }
}
