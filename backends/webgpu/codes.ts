import type { GnCode } from '../../compiler/diagnostics/codes.js';

/**
 * GnetError codes of the WebGPU backend (GN091x). Each message names what happened, what it
 * concerned, and what to do.
 */
export const WEBGPU_CODES = {
  /** No adapter, or the adapter refused a device. */
  noDevice: 'GN0910',
  /** dataSync()/arraySync() on a GPU tensor in Node, where only asynchronous reads exist. */
  syncRead: 'GN0911',
  /** The device was lost (driver reset, GPU removed, or released while in use). */
  deviceLost: 'GN0912',
  /** A buffer larger than the device allows, or an allocation the device could not satisfy. */
  outOfMemory: 'GN0913',
  /** Any other error the GPU reported for a command gnet submitted. */
  gpuError: 'GN0914',
  /** The installed tfjs-backend-webgpu lacks a kernel gnet wraps. */
  missingKernel: 'GN0915',
} as const satisfies Record<string, GnCode>;
