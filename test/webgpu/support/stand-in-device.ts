/// <reference types="@webgpu/types" />
/**
 * Just enough of a GPUDevice for DeviceWatch, with the faults a real device reports asynchronously
 * under the test's control: loss, out-of-memory on an allocation, an uncaptured command error.
 */

export interface StandIn {
  readonly device: GPUDevice;
  lose(reason: GPUDeviceLostReason, message: string): void;
  /** The next allocation's out-of-memory scope reports this error. */
  failNextAllocation(): void;
  raiseUncaptured(name: string, message: string): void;
  readonly created: number[];
}

class NamedError {
  constructor(readonly message: string) {}
}
/** Named like the WebGPU error classes, which DeviceWatch tells apart by name. */
class GPUOutOfMemoryError extends NamedError {}
class GPUValidationError extends NamedError {}
const ERRORS: Record<string, new (message: string) => NamedError> = { GPUOutOfMemoryError, GPUValidationError };

export function standInDevice(limits: { maxBufferSize: number; maxStorageBufferBindingSize: number }): StandIn {
  let lose!: (info: GPUDeviceLostInfo) => void;
  const lost = new Promise<GPUDeviceLostInfo>((settle) => (lose = settle));
  const listeners: ((event: unknown) => void)[] = [];
  const scopes: (NamedError | null)[] = [];
  let failNext = false;
  const created: number[] = [];
  const device = {
    limits,
    lost,
    addEventListener: (_type: string, listener: (event: unknown) => void) => listeners.push(listener),
    pushErrorScope: () => scopes.push(null),
    popErrorScope: async () => scopes.pop() ?? null,
    createBuffer(descriptor: GPUBufferDescriptor) {
      created.push(descriptor.size);
      if (failNext) scopes[scopes.length - 1] = new GPUOutOfMemoryError('Allocation failed');
      failNext = false;
      return {} as GPUBuffer;
    },
  } as unknown as GPUDevice;
  return {
    device,
    created,
    lose: (reason, message) => lose({ reason, message } as GPUDeviceLostInfo),
    failNextAllocation: () => (failNext = true),
    raiseUncaptured: (name, message) => listeners.forEach((listener) => listener({ error: new ERRORS[name]!(message), preventDefault() {} })),
  };
}
