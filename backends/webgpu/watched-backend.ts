/// <reference types="@webgpu/types" />
/**
 * Registers TensorFlow.js' WebGPU backend on a device gnet requested and watches. Imports the
 * package, so only init paths import this file (backends/webgpu/index.ts dynamically, the web page
 * directly). Browser-safe.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { GnetError } from '../../runtime/errors.js';
import { adapterInfo } from './adapter.js';
import { WEBGPU_CODES } from './codes.js';
import type { GpuDevice } from './device.js';
import { DeviceWatch } from './faults.js';
import { installWebGpuKernels } from './kernels.js';

export interface WebGpuOptions {
  /**
   * Whether dataSync() may read GPU tensors. Browsers read through a canvas; Node has no
   * OffscreenCanvas, so there such reads fail with a GnetError that says to await data().
   */
  readonly syncReads: boolean;
}

/** Same priority as the package's own registration. */
const PRIORITY = 3;

/** WebGPUBackend whose reads throw the device's faults as GnetErrors. */
class WatchedWebGPUBackend extends WebGPUBackend {
  constructor(
    gpu: GpuDevice,
    private readonly watch: DeviceWatch,
    private readonly options: WebGpuOptions,
  ) {
    super(gpu.device, adapterInfo(gpu.adapter) as GPUAdapterInfo);
  }

  override async read(dataId: object): Promise<tf.BackendValues> {
    this.watch.check();
    try {
      return await this.watch.guard(super.read(dataId));
    } catch (error) {
      throw await this.watch.explain(error);
    }
  }

  override readSync(dataId: object): tf.BackendValues {
    this.watch.check();
    if (!this.options.syncReads && this.tensorMap.get(dataId).values == null) {
      throw new GnetError(
        WEBGPU_CODES.syncRead,
        'a GPU tensor was read synchronously (dataSync, arraySync or bufferSync), which WebGPU in Node cannot do; await tensor.data() or tensor.array() instead, or choose --backend wasm',
      );
    }
    return super.readSync(dataId);
  }
}

/**
 * Registers 'webgpu' (replacing the factory the package registers when imported where a GPU is
 * present) to build the watched backend on `gpu`. Does not make it the active backend.
 */
export function registerWatchedWebGpu(gpu: GpuDevice, options: WebGpuOptions): DeviceWatch {
  let backend: WatchedWebGPUBackend | undefined;
  const watch = new DeviceWatch(gpu.device, { adapterName: gpu.summary.name, bytesInUse: () => backend?.memory().numBytesAllocatedInGPU ?? 0 });
  installWebGpuKernels();
  if ('webgpu' in tf.engine().registryFactory) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => (backend = new WatchedWebGPUBackend(gpu, watch, options)), PRIORITY);
  return watch;
}
