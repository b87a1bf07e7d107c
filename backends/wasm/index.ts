import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GnetBackend, ProbeResult } from '../backend.js';
import { activate, deactivate, isInitialised } from '../lifecycle.js';
import { hostProcessor, packageDir, packageVersion } from '../packages.js';
import { installWasmKernels } from './kernels.js';

const PACKAGE = '@tensorflow/tfjs-backend-wasm';
const BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/** A minimal module using a SIMD instruction (from wasm-feature-detect, as the package checks). */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);

function hasSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Where the package keeps its .wasm binaries; loading them from here means nothing is fetched. */
function binaryFolder(): string | undefined {
  const dir = packageDir(PACKAGE);
  return dir === undefined ? undefined : join(dir, 'dist');
}

async function probe(): Promise<ProbeResult> {
  if (typeof WebAssembly !== 'object') {
    return { available: false, reason: 'this JavaScript runtime has no WebAssembly', fix: 'run under Node.js 20 or later' };
  }
  const folder = binaryFolder();
  if (folder === undefined) return { available: false, reason: `${PACKAGE} is not installed`, fix: `npm install ${PACKAGE}` };
  const missing = BINARIES.filter((name) => !existsSync(join(folder, name)));
  if (missing.length > 0) {
    return { available: false, reason: `${missing.join(', ')} missing from ${folder}`, fix: `reinstall ${PACKAGE} (npm install ${PACKAGE})` };
  }
  const simd = hasSimd() ? 'SIMD' : 'no SIMD (slower binary)';
  return { available: true, detail: `${PACKAGE} ${packageVersion(PACKAGE)}, ${simd}` };
}

async function load(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The factory reads the folder each time it instantiates the module, so set it before each.
  if (!isInitialised('wasm')) wasm.setWasmPaths(`${binaryFolder()}/`);
  installWasmKernels();
}

async function threads(): Promise<string> {
  if (!isInitialised('wasm')) return 'not initialised';
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const count = getThreadsCount();
  return `${count} thread${count === 1 ? '' : 's'}`;
}

/**
 * The fast CPU default: XNNPACK compiled to WebAssembly, with the kernels training needs added
 * and the package's known defects worked around (see kernels.ts).
 */
export const wasmBackend: GnetBackend = {
  name: 'wasm',
  probe,
  init: () => activate('wasm', load),
  async describe() {
    const simd = hasSimd() ? 'SIMD' : 'no SIMD';
    return { name: 'wasm', kind: 'cpu', software: false, detail: `XNNPACK via WebAssembly (${simd}, ${await threads()}) on ${hostProcessor()}` };
  },
  async release() {
    deactivate('wasm');
  },
};
