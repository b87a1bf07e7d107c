/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend in a browser page: the browser's own navigator.gpu, with the device requested
 * and watched as in Node, and synchronous reads allowed (browsers read through a canvas).
 */
import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../../runtime/errors.js';
import { summarizeAdapter, type AdapterSummary } from './adapter.js';
import { WEBGPU_CODES } from './codes.js';
import { requestGpuDevice } from './device.js';
import type { DeviceWatch } from './faults.js';
import { registerWatchedWebGpu } from './watched-backend.js';

export interface BrowserWebGpu {
  readonly summary: AdapterSummary;
  readonly device: GPUDevice;
  readonly watch: DeviceWatch;
}

export async function startBrowserWebGpu(gpu: GPU | undefined = (globalThis.navigator as Navigator | undefined)?.gpu): Promise<BrowserWebGpu> {
  if (gpu === undefined) {
    throw new GnetError(WEBGPU_CODES.noDevice, 'this browser has no WebGPU (navigator.gpu is missing); use a current Chrome, Edge or Firefox over https or localhost, or start Chromium with --enable-unsafe-webgpu');
  }
  const opened = await requestGpuDevice(gpu);
  const watch = registerWatchedWebGpu(opened, { syncReads: true });
  if (!(await tf.setBackend('webgpu'))) {
    throw new GnetError(WEBGPU_CODES.noDevice, `TensorFlow.js could not start its WebGPU backend on ${opened.summary.name} (see the console); reload the page or try another browser`);
  }
  return { summary: opened.summary, device: opened.device, watch };
}

/**
 * The adapter the browser would give, without opening a device: undefined where there is no WebGPU
 * or no adapter. The page uses it to pass over software adapters, on which wasm is faster.
 */
export async function probeBrowserAdapter(gpu: GPU | undefined): Promise<AdapterSummary | undefined> {
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  return adapter ? summarizeAdapter(adapter) : undefined;
}
