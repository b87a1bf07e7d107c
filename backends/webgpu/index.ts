/**
 * WebGPU in Node: TensorFlow.js' WebGPU backend on Dawn (the `webgpu` package), with the device
 * requested and watched by gnet. On a machine without a GPU, Dawn runs on Mesa's lavapipe, a
 * software Vulkan driver: correct but slower than wasm, so `auto` passes over it.
 */
import type { DeviceInfo, GnetBackend, ProbeResult } from '../backend.js';
import { activate, deactivate } from '../lifecycle.js';
import { packageVersion } from '../packages.js';
import { describeSummary, summarizeAdapter, type AdapterSummary } from './adapter.js';
import { NO_ADAPTER, requestAdapter, requestDevice, type GpuDevice } from './device.js';
import type { DeviceWatch } from './faults.js';
import { createDawnGpu, installNavigatorGpu } from './node-gpu.js';
import { probeAdapter } from './probe-adapter.js';
import { WEBGPU_CODES } from './codes.js';
import { withNativeStderrSilenced } from './quiet-stderr.js';
import { PROBE_TIMEOUT_MS } from '../probe-safely.js';

const TFJS_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
const DAWN_PACKAGE = 'webgpu';

interface Session {
  readonly gpu: GpuDevice;
  readonly removeNavigatorGpu: () => void;
  watch?: DeviceWatch;
}

/** The device while the backend is initialised. */
let session: Session | undefined;

/** The adapter the last probe found, so that describe() after probe() asks Dawn once. */
let probedAdapter: AdapterSummary | undefined;

function versions(): string {
  return `Dawn (${DAWN_PACKAGE} ${packageVersion(DAWN_PACKAGE)}), ${TFJS_PACKAGE} ${packageVersion(TFJS_PACKAGE)}`;
}

function availableOn(summary: AdapterSummary): ProbeResult {
  return { available: true, detail: `${describeSummary(summary)} via ${versions()}`, software: summary.software };
}

async function probe(): Promise<ProbeResult> {
  const missing = [TFJS_PACKAGE, DAWN_PACKAGE].filter((name) => packageVersion(name) === undefined);
  if (missing.length > 0) return { available: false, reason: `${missing.join(' and ')} not installed`, fix: `npm install ${missing.join(' ')}` };
  if (session !== undefined) return availableOn(session.gpu.summary);
  const probed = await probeAdapter(PROBE_TIMEOUT_MS);
  if ('failure' in probed) {
    return { available: false, reason: `Dawn (the ${DAWN_PACKAGE} package) failed to start: ${probed.failure}`, fix: `reinstall it (npm install ${DAWN_PACKAGE}); on Linux it also needs libvulkan1` };
  }
  if (probed.summary === null) return { available: false, ...NO_ADAPTER, code: WEBGPU_CODES.noDevice };
  probedAdapter = probed.summary;
  return availableOn(probed.summary);
}

async function openSession(): Promise<Session> {
  const gpu = await createDawnGpu();
  // Dawn prints lavapipe's "…artificially reduced…" limit warnings while it finds the adapter.
  const device = await requestDevice(await withNativeStderrSilenced(() => requestAdapter(gpu)));
  return { gpu: device, removeNavigatorGpu: await installNavigatorGpu(gpu) };
}

/** Releases the device when the event loop empties, for callers that end without calling release(). */
const releaseAtExit = () => void release();

async function init(): Promise<void> {
  if (session !== undefined) return activate('webgpu', async () => undefined);
  const opened = (session = await openSession());
  process.once('beforeExit', releaseAtExit);
  try {
    await activate('webgpu', async () => {
      const { registerWatchedWebGpu } = await import('./watched-backend.js');
      opened.watch = registerWatchedWebGpu(opened.gpu, { syncReads: false });
    });
  } catch (error) {
    await release();
    throw error;
  }
}

/** Frees the tensors' buffers, destroys the device and takes navigator.gpu away, so nothing keeps the GPU or the process. */
async function release(): Promise<void> {
  deactivate('webgpu');
  if (session === undefined) return;
  process.off('beforeExit', releaseAtExit);
  session.gpu.device.destroy();
  session.removeNavigatorGpu();
  session = undefined;
}

async function describe(): Promise<DeviceInfo> {
  if (session === undefined && probedAdapter === undefined) await probe();
  // No adapter even then: ask in-process, where requestAdapter throws the error that explains why.
  const summary = session?.gpu.summary ?? probedAdapter ?? summarizeAdapter(await withNativeStderrSilenced(async () => requestAdapter(await createDawnGpu())));
  return { name: 'webgpu', kind: 'gpu', software: summary.software, detail: `${describeSummary(summary)} via ${versions()}` };
}

/**
 * Measured by test/webgpu/volumes.test.ts: the package's vectorised element-wise shaders fail to
 * compile on rank-5 tensors whose last axis is a multiple of 4 (WGSL "cannot index type 'vec5'", which
 * loses the device), and its Select (tf.where, in activation gradients) refuses rank 5.
 */
const VOLUMES = "tfjs-backend-webgpu 4.22 fails on rank-5 tensors (its vectorised element-wise shaders do not compile: \"cannot index type 'vec5'\"; its Select refuses rank 5)";

export const webgpuBackend: GnetBackend = { name: 'webgpu', volumes: VOLUMES, probe, init, describe, release };

/** The device watch of the initialised backend, for tests and benchmarks that provoke faults. */
export function activeDevice(): { readonly device: GPUDevice; readonly watch: DeviceWatch } | undefined {
  return session?.watch === undefined ? undefined : { device: session.gpu.device, watch: session.watch };
}
