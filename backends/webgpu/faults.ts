/// <reference types="@webgpu/types" />
/**
 * Turns what a WebGPU device reports asynchronously — loss, out-of-memory, rejected commands — into
 * GnetErrors that the next tensor read throws, instead of the silent zeros and console noise tfjs
 * leaves behind. Oversized buffers are refused at once, with the size asked for. Browser-safe.
 */
import { formatBytes } from '../../compiler/analysis/format.js';
import { GnetError } from '../../runtime/errors.js';
import { WEBGPU_CODES } from './codes.js';

/** GPUBufferUsage.STORAGE, spelt out: Node has the constant only once the webgpu globals are installed. */
const STORAGE_USAGE = 0x80;

export interface WatchOptions {
  /** How the adapter is named in messages. */
  readonly adapterName: string;
  /** Bytes TensorFlow.js holds on the device now (its buffer manager's count). */
  readonly bytesInUse: () => number;
}

/** How long a failure waits for the device's `lost` before it is reported as itself. */
const LOST_GRACE_MS = 500;

export class DeviceWatch {
  private fault: GnetError | undefined;
  /** Resolves with the error once the device is lost; never rejects. */
  readonly lost: Promise<GnetError>;
  /** Rejecters of the reads in flight, failed together if the device is lost. */
  private readonly inFlight = new Set<(error: GnetError) => void>();

  constructor(
    private readonly device: GPUDevice,
    private readonly options: WatchOptions,
  ) {
    this.lost = device.lost.then((info) => {
      const error = this.record(this.lostError(info));
      this.inFlight.forEach((fail) => fail(error));
      return error;
    });
    device.addEventListener('uncapturederror', (event) => {
      event.preventDefault();
      this.record(this.commandError((event as GPUUncapturedErrorEvent).error));
    });
    this.guardAllocations();
  }

  /** Throws the first fault seen so far. */
  check(): void {
    if (this.fault !== undefined) throw this.fault;
  }

  /**
   * `work`, or the loss error if the device is lost first: a read on a device lost for good may
   * never settle. (Racing `lost` instead would pile a reaction onto it for every read.)
   */
  guard<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      const settle = <V>(finish: (value: V) => void) => (value: V) => {
        this.inFlight.delete(reject);
        finish(value);
      };
      work.then(settle(resolve), settle(reject));
    });
  }

  /**
   * The error to report for a failure on this device: its fault when it has one. A lost device fails
   * reads, kernels and synchronous reads before `lost` settles, so `lost` gets LOST_GRACE_MS to do so
   * (only failures wait; Node's reads and the page's runs alike).
   */
  async explain(error: unknown): Promise<unknown> {
    await Promise.race([this.lost, new Promise((settle) => setTimeout(settle, LOST_GRACE_MS))]);
    return this.fault ?? error;
  }

  private record(error: GnetError): GnetError {
    this.fault ??= error;
    return this.fault;
  }

  private lostError(info: GPUDeviceLostInfo): GnetError {
    const what = info.reason === 'destroyed' ? 'was released while tensors still lived on it' : `was lost (${info.message || 'driver reset or GPU removed'})`;
    return new GnetError(
      WEBGPU_CODES.deviceLost,
      `the GPU device ${this.options.adapterName} ${what}; its tensors are gone: restart the run (gnet train --resume continues from the last checkpoint) or choose --backend wasm`,
    );
  }

  private commandError(error: GPUError): GnetError {
    const detail = error.message.split('\n')[0] ?? '';
    // By name: Node has the GPUError classes as globals only once the webgpu globals are installed.
    if (error.constructor.name === 'GPUOutOfMemoryError') return this.outOfMemory(`the GPU ran out of memory (${detail})`);
    return new GnetError(WEBGPU_CODES.gpuError, `the GPU ${this.options.adapterName} rejected a command (${detail}); rerun with --backend wasm, and report this as a gnet bug with the spec`);
  }

  private outOfMemory(what: string): GnetError {
    const held = formatBytes(this.options.bytesInUse());
    return new GnetError(WEBGPU_CODES.outOfMemory, `${what} (${held} already allocated by TensorFlow.js); use a smaller batch or input size, or choose --backend wasm`);
  }

  /** Wraps createBuffer: refuses sizes over the device's limits, and watches each allocation for out-of-memory. */
  private guardAllocations(): void {
    const { device } = this;
    const create = device.createBuffer.bind(device);
    device.createBuffer = (descriptor) => {
      this.check();
      const bound = (descriptor.usage & STORAGE_USAGE) !== 0;
      const limit = bound ? Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize) : device.limits.maxBufferSize;
      if (descriptor.size > limit) {
        throw this.outOfMemory(`a GPU buffer of ${formatBytes(descriptor.size)} was asked for, but ${this.options.adapterName} allows at most ${formatBytes(limit)} per ${bound ? 'tensor' : 'buffer'}`);
      }
      device.pushErrorScope('out-of-memory');
      const buffer = create(descriptor);
      void device.popErrorScope().then((error) => {
        if (error !== null) this.record(this.outOfMemory(`allocating ${formatBytes(descriptor.size)} on the GPU failed: it is out of memory`));
      });
      return buffer;
    };
  }
}
