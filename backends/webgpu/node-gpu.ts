/// <reference types="@webgpu/types" />
/**
 * WebGPU in Node through the `webgpu` package (Google's Dawn). tfjs-backend-webgpu expects the
 * browser's globals: navigator.gpu, and the GPUBufferUsage / GPUMapMode constants it reads bare.
 */

/** A specifier in a variable, so bundlers of the web page leave this Node-only package out. */
const DAWN_PACKAGE = 'webgpu';

interface DawnModule {
  create(options: string[]): GPU;
  readonly globals: object;
}

const loadDawn = async () => (await import(DAWN_PACKAGE)) as DawnModule;

/** A new Dawn instance; nothing global changes. Dropping the reference lets the process exit. */
export async function createDawnGpu(): Promise<GPU> {
  return (await loadDawn()).create([]);
}

type NavigatorHolder = { navigator?: { gpu?: GPU } };

/**
 * Installs `gpu` as navigator.gpu (Node 21+ has a navigator without one; Node 20 has none) and the
 * WebGPU constants; returns the function that takes navigator.gpu away again.
 */
export async function installNavigatorGpu(gpu: GPU): Promise<() => void> {
  for (const [name, value] of Object.entries((await loadDawn()).globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }
  const holder = globalThis as NavigatorHolder;
  const hadNavigator = holder.navigator !== undefined;
  if (hadNavigator) Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, writable: true, configurable: true });
  return () => {
    if (hadNavigator) delete holder.navigator!.gpu;
    else delete holder.navigator;
  };
}
