import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../../runtime/errors.js';
import { withNaNPropagation } from '../nan-propagation.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import { conv3dBackpropFilterKernel } from './conv3d-backprop-filter.js';
import { conv3dBackpropInputKernel } from './conv3d-backprop-input.js';
import { depthwiseBackpropFilterKernel } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputKernel } from './depthwise-backprop-input.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { bilinearTaps, nearestTaps, withHalfPixelResizeGrad } from './resize-grad.js';
import { withExplicitSamePadding, withSafePoolPadding } from './safe-padding.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

/** Kernels the wasm package lacks (training a conv net needs them), runs slowly or gets wrong. */
export const ADDED_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  conv3dBackpropFilterKernel,
  conv3dBackpropInputKernel,
  depthwiseBackpropFilterKernel,
  depthwiseBackpropInputKernel,
  maxPoolGradKernel,
  unsortedSegmentSumKernel,
];

/** The package's own kernels, wrapped to steer around their defects in the cases that hit them. */
export const WRAPPED_KERNELS: Readonly<Record<string, (original: tf.KernelConfig) => tf.KernelConfig>> = {
  [tf.Conv2D]: (original) => withExplicitSamePadding(original, false),
  [tf.FusedConv2D]: (original) => withExplicitSamePadding(original, false),
  [tf.DepthwiseConv2dNative]: (original) => withNaNPropagation(withExplicitSamePadding(original, true), 'depthwise'),
  [tf.FusedDepthwiseConv2D]: (original) => withNaNPropagation(withExplicitSamePadding(original, true), 'depthwise'),
  [tf.MaxPool]: (original) => withNaNPropagation(withSafePoolPadding(original, 'max'), 'window'),
  [tf.AvgPool]: (original) => withNaNPropagation(withSafePoolPadding(original, 'avg'), 'window'),
  [tf.ClipByValue]: (original) => withNaNPropagation(original, 'element'),
  [tf.Relu6]: (original) => withNaNPropagation(original, 'element'),
  [tf.Relu]: (original) => withNaNPropagation(original, 'element'),
  [tf.ResizeBilinearGrad]: (original) => withHalfPixelResizeGrad(original, bilinearTaps),
  [tf.ResizeNearestNeighborGrad]: (original) => withHalfPixelResizeGrad(original, nearestTaps),
};

let installed = false;

/** Registers ADDED_KERNELS and WRAPPED_KERNELS for 'wasm'; run after the package's import, once per process. */
export function installWasmKernels(): void {
  if (installed) return;
  for (const [name, wrap] of Object.entries(WRAPPED_KERNELS)) {
    const original = tf.getKernel(name, 'wasm');
    if (original === undefined) {
      throw new GnetError('GN0903', `@tensorflow/tfjs-backend-wasm registers no '${name}' kernel; install the 4.22 release this layer was tested with`);
    }
    replaceKernel(wrap(original));
  }
  ADDED_KERNELS.forEach(replaceKernel);
  installed = true;
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}
