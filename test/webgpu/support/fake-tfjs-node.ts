/**
 * Stand-ins for @tensorflow/tfjs-node and -node-gpu installs in a temporary folder: missing, without
 * the native addon its install step downloads, with an addon that does not load, or with an entry
 * that throws, registers nothing, or registers a 'tensorflow' backend (cpu kernels underneath).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type Entry = 'throws' | 'registers-nothing' | 'registers-cpu' | 'registers-cpu-not-on-gpu';

export interface FakeInstall {
  readonly addon?: 'missing' | 'broken';
  readonly entry?: Entry;
}

const ENTRIES: Record<Entry, string> = {
  throws: `throw new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: ' + __dirname + '/lib/napi-v8/tfjs_binding.node.\\nPlease run command npm rebuild');`,
  'registers-nothing': `module.exports = {};`,
  'registers-cpu': registering(undefined),
  'registers-cpu-not-on-gpu': registering(false),
};

/** A 'tensorflow' backend made of the cpu kernels, like tfjs-node's registration; `onGpu` as tfjs-node-gpu reports it. */
function registering(onGpu: boolean | undefined): string {
  return `
const tf = require('@tensorflow/tfjs-core');
const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu');
class NodeBackend extends MathBackendCPU { constructor() { super(); ${onGpu === undefined ? '' : `this.isUsingGpuDevice = ${onGpu};`} } }
for (const kernel of tf.getKernelsForBackend('cpu')) if (!tf.getKernel(kernel.kernelName, 'tensorflow')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
tf.registerBackend('tensorflow', () => new NodeBackend(), 3);`;
}

const made: string[] = [];

/** Deletes every folder fakeInstall made. */
export function removeFakeInstalls(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** A folder whose node_modules holds `packageName` as described; returns a module path inside it to resolve from. */
export function fakeInstall(packageName: string | undefined, install: FakeInstall = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'gnet-fake-tfjs-node-'));
  made.push(root);
  const modules = join(root, 'node_modules', '@tensorflow');
  mkdirSync(modules, { recursive: true });
  for (const real of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu']) {
    symlinkSync(dirname(require.resolve(`${real}/package.json`)), join(root, 'node_modules', real), 'dir');
  }
  if (packageName !== undefined) {
    const dir = join(root, 'node_modules', packageName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: packageName, version: '4.22.0', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), ENTRIES[install.entry ?? 'throws']);
    if (install.addon !== 'missing') {
      mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
      writeFileSync(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), 'not a shared object\n');
    }
  }
  return join(root, 'entry.js');
}
