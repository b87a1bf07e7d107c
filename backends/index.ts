import { GnetError } from '../runtime/errors.js';
import { TRAIN_ERRORS } from '../runtime/train/codes.js';
import type { GnetBackend, ProbeResult } from './backend.js';
import { cpuBackend } from './cpu.js';
import { cudaBackend } from './cuda.js';
import { nodeBackend } from './node.js';
import { probeSafely } from './probe-safely.js';
import { torchBackend } from './torch/index.js';
import { wasmBackend } from './wasm/index.js';
import { webgpuBackend } from './webgpu/index.js';

export type { DeviceInfo, GnetBackend, ProbeResult } from './backend.js';

/** Every backend name gnet reserves: tfjs-node-gpu, tfjs-node, WebGPU on a hardware adapter, PyTorch, wasm, cpu. */
export type BackendName = 'cuda' | 'node' | 'webgpu' | 'torch' | 'wasm' | 'cpu';

export type BackendRegistry = Readonly<Partial<Record<BackendName, GnetBackend>>>;

/** The backends built so far. Importing this registers nothing with TensorFlow.js. */
export const BACKENDS: BackendRegistry = {
  cuda: cudaBackend,
  node: nodeBackend,
  webgpu: webgpuBackend,
  torch: torchBackend,
  cpu: cpuBackend,
  wasm: wasmBackend,
};

/** Fastest first: the order `auto` tries (a backend whose probe says `preferred` goes before all: torch with CUDA). */
export const AUTO_ORDER: readonly BackendName[] = ['cuda', 'node', 'webgpu', 'torch', 'wasm', 'cpu'];

export function backendNames(registry: BackendRegistry = BACKENDS): BackendName[] {
  return AUTO_ORDER.filter((name) => registry[name] !== undefined);
}

/** What the network needs of a backend: `volumes` when it takes a D×H×W×C input. */
export interface BackendNeeds {
  readonly volumes?: boolean;
}

/** GN0879 when the backend cannot run what the network needs, naming the backends that can. */
export function refuseUnmetNeeds(backend: GnetBackend, needs: BackendNeeds, registry: BackendRegistry = BACKENDS): void {
  if (!needs.volumes || backend.volumes === undefined) return;
  const able = backendNames(registry).filter((name) => registry[name]!.volumes === undefined);
  throw new GnetError(TRAIN_ERRORS.volumesUnsupported, `backend '${backend.name}' cannot run networks on volumes (D x H x W x C inputs): ${backend.volumes}; use --backend ${able.join(', --backend ')}`);
}

/** The first backend in `order` that is built, available here, not a software fallback and able to run what the network needs. */
export async function autoSelect(order: readonly BackendName[] = AUTO_ORDER, registry: BackendRegistry = BACKENDS, needs: BackendNeeds = {}): Promise<GnetBackend> {
  const passedOver: string[] = [];
  const probes = new Map<BackendName, ProbeResult>();
  const probeOf = async (name: BackendName, backend: GnetBackend) => probes.get(name) ?? probes.set(name, await probeSafely(backend)).get(name)!;
  // Optional backends that are only probed here when installed answer fast; torch says whether it sees CUDA.
  for (const name of order) {
    const backend = registry[name];
    if (name !== 'torch' || backend === undefined) continue;
    const probe = await probeOf(name, backend);
    if (probe.available && probe.preferred === true) return backend;
  }
  for (const name of order) {
    const backend = registry[name];
    if (backend === undefined) continue;
    if (needs.volumes && backend.volumes !== undefined) {
      passedOver.push(`${name}: no volumes`);
      continue;
    }
    const probe = await probeOf(name, backend);
    if (probe.available && probe.software !== true) return backend;
    passedOver.push(`${name}: ${probe.available ? 'software implementation only' : probe.reason}`);
  }
  const tried = passedOver.length > 0 ? passedOver.join('; ') : `none of ${order.join(', ')} is built into gnet`;
  throw new GnetError('GN0902', `no backend is available (${tried}); install one, e.g. npm install @tensorflow/tfjs-backend-wasm`);
}

/**
 * Resolves `name` ('auto' or a backend name), checks it can run here and run what the network needs
 * (GN0879: `auto` passes over a backend that cannot), initialises it and returns it.
 */
export async function selectBackend(name: 'auto' | string, registry: BackendRegistry = BACKENDS, needs: BackendNeeds = {}): Promise<GnetBackend> {
  const backend = name === 'auto' ? await autoSelect(AUTO_ORDER, registry, needs) : await availableBackend(name, registry);
  refuseUnmetNeeds(backend, needs, registry);
  await backend.init();
  return backend;
}

async function availableBackend(name: string, registry: BackendRegistry): Promise<GnetBackend> {
  const backend = (registry as Partial<Record<string, GnetBackend>>)[name];
  if (backend === undefined) {
    throw new GnetError('GN0901', `unknown backend '${name}'; use one of: auto, ${backendNames(registry).join(', ')}`);
  }
  const probe = await probeSafely(backend);
  if (!probe.available) throw new GnetError(probe.code ?? 'GN0902', `backend '${name}' is unavailable: ${probe.reason}; ${probe.fix}`);
  return backend;
}
