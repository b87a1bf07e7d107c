/**
 * Fixes for defects of tfjs-backend-webgpu 4.22 that gnet's blocks hit, as kernel wrappers that
 * route only the failing cases elsewhere (the cross-backend equivalence tests find them).
 */
import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../../runtime/errors.js';
import { withNaNPropagation } from '../nan-propagation.js';
import { kernelFromOps } from '../wasm/tensor-ops.js';
import { WEBGPU_CODES } from './codes.js';
import { preciseSine } from './trig.js';

/** Shaders index coordinates as vec2–vec4; ranks 5 and 6 use structs that some shaders cannot index. */
const LARGEST_SHADER_RANK = 4;

/** tf.pad as concatenations along each padded axis (concat flattens to two dimensions, so any rank works). */
function padByConcat(x: tf.Tensor, paddings: readonly (readonly [number, number])[], value: number): tf.Tensor {
  return paddings.reduce((padded, [before, after], axis) => {
    if (before === 0 && after === 0) return padded;
    const block = (size: number) => tf.fill(padded.shape.map((d, i) => (i === axis ? size : d)), value, padded.dtype);
    return tf.concat([...(before > 0 ? [block(before)] : []), padded, ...(after > 0 ? [block(after)] : [])], axis);
  }, x);
}

/** PadV2's shader indexes its coordinates, so ranks 5 and 6 fail to compile (runtime's dilated kernels pad at rank 6). */
function withHighRankPad(original: tf.KernelConfig): tf.KernelConfig {
  const byConcat = kernelFromOps(({ x }, attrs) => padByConcat(x!, attrs.paddings as [number, number][], attrs.constantValue as number));
  return { ...original, kernelFunc: (args) => ((args.inputs.x as tf.TensorInfo).shape.length > LARGEST_SHADER_RANK ? byConcat(args) : original.kernelFunc(args)) };
}

/** Sin and Cos from arithmetic (see trig.ts): the driver's builtins may be off by 2^-11. */
const precise = (quarter: 0 | 1) => (original: tf.KernelConfig): tf.KernelConfig => ({ ...original, kernelFunc: kernelFromOps(({ x }) => preciseSine(x!, quarter)) });

const WRAPPED_KERNELS: Readonly<Record<string, (original: tf.KernelConfig) => tf.KernelConfig>> = {
  [tf.PadV2]: withHighRankPad,
  [tf.Sin]: precise(0),
  [tf.Cos]: precise(1),
  // Their shaders' max/clamp drop NaN (as XNNPACK's do), so a diverged net would look finite here too.
  [tf.Relu6]: (original) => withNaNPropagation(original, 'element', 'always'),
  [tf.MaxPool]: (original) => withNaNPropagation(original, 'window', 'always'),
};

let installed = false;

/** Replaces the package's kernels with the wrapped ones; run after the package's import, once per process. */
export function installWebGpuKernels(): void {
  if (installed) return;
  for (const [name, wrap] of Object.entries(WRAPPED_KERNELS)) {
    const original = tf.getKernel(name, 'webgpu');
    if (original === undefined) {
      throw new GnetError(WEBGPU_CODES.missingKernel, `@tensorflow/tfjs-backend-webgpu registers no '${name}' kernel; install the 4.22 release gnet was tested with`);
    }
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel(wrap(original));
  }
  installed = true;
}
