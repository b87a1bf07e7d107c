/// <reference types="@webgpu/types" />
/**
 * Adapter and device requests for TensorFlow.js' WebGPU backend, made by gnet rather than by the
 * package: its own request passes 'bgra8unorm-storage' nested in an array, which some adapters
 * reject, and gnet needs the device in hand to watch it for faults. Browser-safe.
 */
import { GnetError } from '../../runtime/errors.js';
import { summarizeAdapter, type AdapterSummary } from './adapter.js';
import { WEBGPU_CODES } from './codes.js';

export interface GpuDevice {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly summary: AdapterSummary;
}

/** Features tfjs-backend-webgpu uses when present (profiling timestamps, reads through a canvas). */
const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'bgra8unorm-storage'];

/** The limits tfjs sizes its work by; the defaults (128 MiB buffers, …) are far below what GPUs allow. */
const RAISED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** Why an adapter request can come back empty, and what fixes it (also the probe's reason and fix). */
export const NO_ADAPTER = {
  reason: 'WebGPU found no GPU adapter (on Linux, Dawn needs a Vulkan driver)',
  fix: "install the GPU vendor's Vulkan driver, or Mesa's software driver lavapipe (Debian: sudo .ci/install-webgpu.sh), or choose --backend wasm",
} as const;

export async function requestAdapter(gpu: GPU): Promise<GPUAdapter> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new GnetError(WEBGPU_CODES.noDevice, `${NO_ADAPTER.reason}; ${NO_ADAPTER.fix}`);
  return adapter;
}

export async function requestDevice(adapter: GPUAdapter): Promise<GpuDevice> {
  const summary = summarizeAdapter(adapter);
  const requiredLimits = Object.fromEntries(RAISED_LIMITS.map((name) => [name, adapter.limits[name]]));
  try {
    const device = await adapter.requestDevice({ requiredFeatures: OPTIONAL_FEATURES.filter((f) => adapter.features.has(f)), requiredLimits });
    return { adapter, device, summary };
  } catch (error) {
    throw new GnetError(WEBGPU_CODES.noDevice, `the WebGPU adapter ${summary.name} refused a device (${(error as Error).message}); update the GPU driver or choose --backend wasm`);
  }
}

export async function requestGpuDevice(gpu: GPU): Promise<GpuDevice> {
  return requestDevice(await requestAdapter(gpu));
}
