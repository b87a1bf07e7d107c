import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Output row i reads (1 − weight) · input[low] + weight · input[high], as tfjs' forward resize does. */
export interface Tap {
  readonly low: number;
  readonly high: number;
  readonly weight: number;
}

interface ResizeAxis {
  readonly inSize: number;
  readonly outSize: number;
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

function ratio({ inSize, outSize, alignCorners }: ResizeAxis): number {
  const corners = alignCorners && outSize > 1;
  return (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
}

/** The taps of tfjs' ResizeBilinear along one axis (cpu and wasm agree on them). */
export function bilinearTaps(axis: ResizeAxis): Tap[] {
  const scale = ratio(axis);
  return Array.from({ length: axis.outSize }, (_, i) => {
    const source = axis.halfPixelCenters ? scale * (i + 0.5) - 0.5 : scale * i;
    const low = Math.max(0, Math.floor(source));
    return { low, high: Math.min(axis.inSize - 1, Math.ceil(source)), weight: source - low };
  });
}

/** The source row of each output row in tfjs' ResizeNearestNeighbor, as a tap of weight 0. */
export function nearestTaps(axis: ResizeAxis): Tap[] {
  const scale = ratio(axis);
  return Array.from({ length: axis.outSize }, (_, i) => {
    const source = axis.halfPixelCenters ? scale * (i + 0.5) : scale * i;
    const nearest = Math.min(axis.inSize - 1, axis.alignCorners ? Math.round(source) : Math.floor(source));
    const low = axis.halfPixelCenters ? Math.max(0, nearest) : nearest;
    return { low, high: low, weight: 0 };
  });
}

type Values = tf.backend_util.TypedArray;

/** dx = Rᵀ dy for the separable resize whose taps per axis are given: four scatter-adds per output pixel. */
function spreadBack(dy: Values, dx: Values, shape: number[], rows: Tap[], cols: Tap[]): void {
  const [batch, inHeight, inWidth, channels] = shape;
  const pixel = (b: number, y: number, x: number) => ((b * inHeight + y) * inWidth + x) * channels;
  let from = 0;
  for (let b = 0; b < batch; b++) {
    for (const row of rows) {
      for (const col of cols) {
        addScaled(dx, pixel(b, row.low, col.low), dy, from, (1 - row.weight) * (1 - col.weight), channels);
        addScaled(dx, pixel(b, row.low, col.high), dy, from, (1 - row.weight) * col.weight, channels);
        addScaled(dx, pixel(b, row.high, col.low), dy, from, row.weight * (1 - col.weight), channels);
        addScaled(dx, pixel(b, row.high, col.high), dy, from, row.weight * col.weight, channels);
        from += channels;
      }
    }
  }
}

function addScaled(dx: Values, to: number, dy: Values, from: number, weight: number, channels: number): void {
  if (weight === 0) return;
  for (let c = 0; c < channels; c++) dx[to + c] += weight * dy[from + c];
}

/**
 * Wraps the wasm package's resize gradients, which ignore halfPixelCenters (tf.image.resize's
 * default in TF 2 style code). Those calls scatter dy back through the forward's taps in
 * JavaScript over the heap; the rest keep the package's kernel.
 */
export function withHalfPixelResizeGrad(original: tf.KernelConfig, taps: (axis: ResizeAxis) => Tap[]): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeBilinearGradAttrs;
      if (!halfPixelCenters) return original.kernelFunc(args);
      const { images, dy } = args.inputs as Record<'images' | 'dy', tf.TensorInfo>;
      const wasm = args.backend as BackendWasm;
      const [, inHeight, inWidth] = images.shape;
      const [, outHeight, outWidth] = dy.shape;
      const out = wasm.makeOutput(images.shape, 'float32');
      // Views are taken after makeOutput: allocating may grow the heap and detach earlier views.
      const dx = wasm.typedArrayFromHeap(out);
      dx.fill(0);
      const rows = taps({ inSize: inHeight, outSize: outHeight, alignCorners, halfPixelCenters });
      const cols = taps({ inSize: inWidth, outSize: outWidth, alignCorners, halfPixelCenters });
      spreadBack(wasm.typedArrayFromHeap(dy), dx, images.shape, rows, cols);
      return out;
    },
  };
}
