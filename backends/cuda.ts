import type * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { findSharedLibrary } from './native/libraries.js';
import { nativeBackend, type NativeOptions } from './native/backend.js';
import type { Missing } from './native/probe.js';

const INSTALL = 'on Linux x64 with an NVIDIA GPU, its driver, CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu (its install downloads libtensorflow)';

/** The CUDA 11 / cuDNN 8 libraries libtensorflow 2.9 opens when it starts a GPU device. */
const CUDA_LIBRARIES = [
  ['libcudart.so.11.0', 'the CUDA 11 runtime'],
  ['libcublas.so.11', 'cuBLAS 11'],
  ['libcudnn.so.8', 'cuDNN 8'],
] as const;

export interface CudaEnvironment {
  /** Present when the NVIDIA kernel driver is loaded. */
  readonly driverFile: string;
  readonly findLibrary: (soname: string) => string | undefined;
}

const HOST: CudaEnvironment = { driverFile: '/proc/driver/nvidia/version', findLibrary: (soname) => findSharedLibrary(soname) };

/** What of the CUDA stack is missing here, checked without loading any of it. */
export function missingCuda(env: CudaEnvironment = HOST): Missing | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { reason: `@tensorflow/tfjs-node-gpu supports Linux x64 only, not ${process.platform} ${process.arch}`, fix: 'choose --backend node, webgpu or wasm' };
  }
  if (!existsSync(env.driverFile)) {
    return { reason: `no NVIDIA driver is loaded (${env.driverFile} is absent)`, fix: 'install the NVIDIA driver for the GPU, then CUDA 11.2 and cuDNN 8.1; or choose --backend node or wasm' };
  }
  const absent = CUDA_LIBRARIES.filter(([soname]) => env.findLibrary(soname) === undefined);
  if (absent.length > 0) {
    return {
      reason: `${absent.map(([soname, what]) => `${what} (${soname})`).join(', ')} not found by the dynamic loader`,
      fix: 'install CUDA 11.2 and cuDNN 8.1 and add their lib64 folders to LD_LIBRARY_PATH (or run ldconfig)',
    };
  }
  return undefined;
}

/** tfjs-node-gpu's kernel backend says whether libtensorflow placed its device on a GPU. */
function gpuProblem(backend: tf.KernelBackend): string | undefined {
  const onGpu = (backend as tf.KernelBackend & { readonly isUsingGpuDevice?: boolean }).isUsingGpuDevice;
  return onGpu === false ? 'libtensorflow started on the CPU: it found no usable GPU (its log above names the CUDA library it could not open)' : undefined;
}

/** libtensorflow on an NVIDIA GPU through @tensorflow/tfjs-node-gpu; optional, and not installable everywhere. */
export const createCudaBackend = (options?: NativeOptions & { readonly environment?: CudaEnvironment }) =>
  nativeBackend(
    { name: 'cuda', kind: 'gpu', packageName: '@tensorflow/tfjs-node-gpu', install: INSTALL, requirements: () => missingCuda(options?.environment), verify: gpuProblem },
    options,
  );

export const cudaBackend = createCudaBackend();
