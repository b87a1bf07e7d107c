import * as tf from '@tensorflow/tfjs-core';
import { kernelFromOps } from './wasm/tensor-ops.js';

/**
 * NaN in, NaN out, for kernels whose backend loses it. XNNPACK (the wasm backend) clamps the output
 * of its clamp and pooling operators with SIMD min/max instructions that return the non-NaN operand:
 * clipByValue(NaN, lo, hi) is lo, relu6(NaN) is 0, a max or average pool over a NaN gives −∞ or a
 * neighbour, a depthwise convolution over a NaN a finite number; its relu compares the bits as
 * integers, so a NaN with the sign bit set (what 0·∞ and √−1 give on x86) becomes 0. tfjs' cpu max pool skips NaN (`value > max` is false). A diverged network then looks
 * healthy: crossentropy clips its probabilities, so NaN outputs give a finite loss on wasm and NaN on
 * cpu. These wrappers make every backend agree with IEEE arithmetic (and PyTorch): an output is NaN
 * when its element, or a value in its pooling window, is NaN.
 *
 * The fix-up runs the kernel on the input with its NaNs zeroed and puts NaN back where they reach.
 * On wasm, Relu6 and MaxPool of tfjs' WebGPU backend lose NaN the same way.
 */
export type NaNReach = 'element' | 'window' | 'depthwise';

/**
 * How to know the input holds a NaN: `scan` reads it in place (cpu, wasm: one pass, and the common
 * case then costs nothing more); `always` takes the fix-up path every time, for backends whose data
 * cannot be read synchronously (WebGPU in Node), at the cost of a few extra element-wise kernels.
 */
export type NaNDetection = 'scan' | 'always';

/** Set while a fix-up runs, so the kernels it calls (the original among them) run unwrapped. */
let fixing = false;

export function withNaNPropagation(original: tf.KernelConfig, reach: NaNReach, detection: NaNDetection = 'scan'): tf.KernelConfig {
  const fixUp = kernelFromOps((inputs, attrs) => {
    const { x, filter } = inputs as Record<'x' | 'filter', tf.Tensor>;
    const nan = tf.isNaN(x!);
    const nanFilter = filter && tf.isNaN(filter);
    const clean = (t: tf.Tensor, mask: tf.Tensor) => tf.where(mask, tf.zerosLike(t), t);
    const cleaned = { ...inputs, x: clean(x!, nan), ...(filter ? { filter: clean(filter, nanFilter!) } : {}) };
    const result = tf.engine().runKernel(original.kernelName, cleaned, attrs) as tf.Tensor;
    const reached = reach === 'element' ? nan : reach === 'window' ? nanWindows(nan, attrs as unknown as tf.MaxPoolAttrs) : nanTaps(nan, nanFilter!, attrs as unknown as tf.DepthwiseConv2dNativeAttrs);
    return tf.where(reached, tf.fill(result.shape, NaN), result);
  });
  const holdsAny = (args: Parameters<tf.KernelFunc>[0]) => detection === 'always' || ['x', 'filter'].some((name) => holdsNaN(args.backend, args.inputs[name]));
  return {
    ...original,
    kernelFunc: (args) => {
      if (fixing || !holdsAny(args)) return original.kernelFunc(args);
      fixing = true;
      try {
        return fixUp(args);
      } finally {
        fixing = false;
      }
    },
  };
}

/** Which depthwise outputs a NaN reaches: an input NaN under any tap, or a NaN tap over any input pixel. */
function nanTaps(nan: tf.Tensor, nanFilter: tf.Tensor, { strides, pad, dilations, dimRoundingMode }: tf.DepthwiseConv2dNativeAttrs): tf.Tensor {
  const conv = (x: tf.Tensor, f: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad as 'same', 'NHWC', dilations, dimRoundingMode);
  const fromInput = conv(tf.cast(nan, 'float32'), tf.onesLike(tf.cast(nanFilter, 'float32')));
  const fromFilter = conv(tf.onesLike(tf.cast(nan, 'float32')), tf.cast(nanFilter, 'float32'));
  return tf.greater(tf.add(fromInput, fromFilter), 0);
}

/** Which pooling windows hold a NaN: a max pool of the 0/1 mask over the same windows. */
function nanWindows(nan: tf.Tensor, { filterSize, strides, pad, dimRoundingMode }: tf.MaxPoolAttrs): tf.Tensor {
  return tf.greater(tf.maxPool(tf.cast(nan, 'float32') as tf.Tensor4D, filterSize, strides, pad, dimRoundingMode), 0);
}

/** One pass over a float tensor's values, read in place where the backend allows (wasm's heap, cpu's arrays). */
function holdsNaN(backend: unknown, x: tf.TensorInfo | undefined): boolean {
  if (x === undefined || x.dtype !== 'float32') return false;
  const wasm = backend as { typedArrayFromHeap?: (t: tf.TensorInfo) => tf.backend_util.TypedArray };
  const values = wasm.typedArrayFromHeap ? wasm.typedArrayFromHeap(x) : ((backend as tf.KernelBackend).readSync(x.dataId) as Float32Array);
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** Replaces a backend's registered kernel with `wrap(kernel)`. */
export function wrapRegisteredKernel(name: string, backend: string, wrap: (original: tf.KernelConfig) => tf.KernelConfig): void {
  const original = tf.getKernel(name, backend);
  if (original === undefined) return;
  tf.unregisterKernel(name, backend);
  tf.registerKernel(wrap(original));
}
