import * as tf from '@tensorflow/tfjs-core';
import { kernelFromOps } from './wasm/tensor-ops.js';

/**
 * NaN in, NaN out, for kernels whose backend loses it. XNNPACK (the wasm backend) clamps the output
 * of its clamp and pooling operators with SIMD min/max instructions that return the non-NaN operand:
 * clipByValue(NaN, lo, hi) is lo, relu6(NaN) is 0, a max or average pool over a NaN gives −∞ or a
 * neighbour. tfjs' cpu max pool skips NaN (`value > max` is false). A diverged network then looks
 * healthy: crossentropy clips its probabilities, so NaN outputs give a finite loss on wasm and NaN on
 * cpu. These wrappers make every backend agree with IEEE arithmetic (and PyTorch): an output is NaN
 * when its element, or a value in its pooling window, is NaN.
 *
 * The common case costs one scan of the input for NaN; only an input that holds one takes the slow
 * path, which runs the kernel on the input with its NaNs zeroed and puts NaN back where they reach.
 */
export type NaNReach = 'element' | 'window';

export function withNaNPropagation(original: tf.KernelConfig, reach: NaNReach): tf.KernelConfig {
  const slowPath = kernelFromOps(({ x }, attrs) => {
    const nan = tf.isNaN(x);
    const clean = tf.where(nan, tf.zerosLike(x), x);
    // runKernel reaches this wrapper again, now with an input free of NaN, so the original runs.
    const result = tf.engine().runKernel(original.kernelName, { x: clean }, attrs) as tf.Tensor;
    const reached = reach === 'element' ? nan : nanWindows(nan, attrs as unknown as tf.MaxPoolAttrs);
    return tf.where(reached, tf.fill(result.shape, NaN), result);
  });
  return {
    ...original,
    kernelFunc: (args) => (holdsNaN(args.backend, args.inputs.x!) ? slowPath(args) : original.kernelFunc(args)),
  };
}

/** Which pooling windows hold a NaN: a max pool of the 0/1 mask over the same windows. */
function nanWindows(nan: tf.Tensor, { filterSize, strides, pad, dimRoundingMode }: tf.MaxPoolAttrs): tf.Tensor {
  return tf.greater(tf.maxPool(tf.cast(nan, 'float32') as tf.Tensor4D, filterSize, strides, pad, dimRoundingMode), 0);
}

/** One pass over a float tensor's values, read in place where the backend allows (wasm's heap, cpu's arrays). */
function holdsNaN(backend: unknown, x: tf.TensorInfo): boolean {
  if (x.dtype !== 'float32') return false;
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
