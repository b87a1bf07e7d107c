import type { DeviceInfo, GnetBackend, ProbeResult } from '../backend.js';
import { wasmBackend } from '../wasm/index.js';
import { type TorchProbe, describeTorch, probeTorchOnce } from './python.js';

/**
 * PyTorch through the user's Python (GNET_PYTHON, else python3): `gnet train` runs the generated
 * PyTorch module in worker processes (train-run.ts). What gnet does in its own process around a run
 * (the final model, report.html) and `gnet eval`, `predict` and `export` run in TensorFlow.js on wasm,
 * which `init` starts. `preferred` when CUDA devices are visible: auto then picks torch before anything.
 */
export function createTorchBackend(probeTorch: () => TorchProbe = () => probeTorchOnce('light')): GnetBackend {
  return {
    name: 'torch',
    async probe(): Promise<ProbeResult> {
      const probe = probeTorch();
      if (!probe.ok) return { available: false, reason: probe.reason, fix: probe.fix, code: probe.code };
      return { available: true, detail: describeTorch(probe.info), preferred: probe.info.cuda.length > 0 };
    },
    init: () => wasmBackend.init(),
    async describe(): Promise<DeviceInfo> {
      const probe = probeTorch();
      const gpu = probe.ok && probe.info.cuda.length > 0;
      return { name: 'torch', kind: gpu ? 'gpu' : 'cpu', software: false, detail: probe.ok ? describeTorch(probe.info) : probe.reason };
    },
    release: () => wasmBackend.release(),
  };
}

export const torchBackend = createTorchBackend();
