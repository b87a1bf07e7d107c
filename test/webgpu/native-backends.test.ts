/**
 * The optional tfjs-node backends (cuda: @tensorflow/tfjs-node-gpu, node: @tensorflow/tfjs-node),
 * against stand-in installs: each way they can be missing gives one message saying what is missing
 * and how to install it, and nothing else breaks.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKENDS, selectBackend } from '../../backends/index.js';
import { createCudaBackend, missingCuda, type CudaEnvironment } from '../../backends/cuda.js';
import { createNodeBackend } from '../../backends/node.js';
import { fakeInstall, removeFakeInstalls } from './support/fake-tfjs-node.js';
import { gnetErrorOf } from '../gnet-error.js';

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const CPU_PACKAGE = '@tensorflow/tfjs-node';
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

test.after(removeFakeInstalls);

/** A driver file that exists and a loader that finds every library but `absent`. */
function cudaEnvironment(absent: readonly string[] = []): CudaEnvironment {
  const driverFile = join(dirname(fakeInstall(undefined)), 'nvidia-version');
  writeFileSync(driverFile, 'NVRM version: 535.00\n');
  return { driverFile, findLibrary: (soname) => (absent.includes(soname) ? undefined : `/usr/local/cuda/lib64/${soname}`) };
}

test('--backend cuda without tfjs-node-gpu fails with one message: the package, CUDA 11.2 / cuDNN 8.1, npm install', async () => {
  const cuda = createCudaBackend({ resolveFrom: fakeInstall(undefined) });
  const error = await gnetErrorOf(() => selectBackend('cuda', { cuda }));
  assert.is(error.code, 'GN0902');
  assert.is(
    error.message,
    "GN0902: backend 'cuda' is unavailable: @tensorflow/tfjs-node-gpu is not installed (it is optional); on Linux x64 with an NVIDIA GPU, its driver, CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu (its install downloads libtensorflow)",
  );
  assert.not.match(error.message, '\n');
});

test('an install whose download step never ran is missing its addon; the fix is npm rebuild', async () => {
  const node = createNodeBackend({ resolveFrom: fakeInstall(CPU_PACKAGE, { addon: 'missing' }) });
  assert.equal(await node.probe(), {
    available: false,
    reason: `${CPU_PACKAGE} 4.22.0 has no native addon (lib/napi-v*/tfjs_binding.node): its install step did not run or failed`,
    fix: `npm rebuild ${CPU_PACKAGE} (its install step downloads libtensorflow, so it needs network access)`,
  });
});

test('an addon that does not load is reported with the loader error, without loading it here', async () => {
  const node = createNodeBackend({ resolveFrom: fakeInstall(CPU_PACKAGE) });
  const probe = await node.probe();
  assert.is(probe.available, false);
  assert.match(!probe.available ? probe.reason : '', /^the native addon of @tensorflow\/tfjs-node 4\.22\.0 does not load: .*(invalid ELF header|too short|not a valid)/);
  assert.equal(Object.keys(tf.engine().registryFactory).filter((name) => name === 'tensorflow'), []);
});

(linuxX64 ? test : test.skip)('cuda checks the NVIDIA driver and the CUDA libraries before anything loads', async () => {
  assert.equal(missingCuda({ driverFile: '/nonexistent/nvidia/version', findLibrary: () => '/lib/x' }), {
    reason: 'no NVIDIA driver is loaded (/nonexistent/nvidia/version is absent)',
    fix: 'install the NVIDIA driver for the GPU, then CUDA 11.2 and cuDNN 8.1; or choose --backend node or wasm',
  });
  assert.equal(missingCuda(cudaEnvironment(['libcudnn.so.8', 'libcudart.so.11.0'])), {
    reason: 'the CUDA 11 runtime (libcudart.so.11.0), cuDNN 8 (libcudnn.so.8) not found by the dynamic loader',
    fix: 'install CUDA 11.2 and cuDNN 8.1 and add their lib64 folders to LD_LIBRARY_PATH (or run ldconfig)',
  });
  assert.is(missingCuda(cudaEnvironment()), undefined);
  const cuda = createCudaBackend({ resolveFrom: fakeInstall(GPU_PACKAGE), environment: cudaEnvironment(['libcublas.so.11']) });
  const probe = await cuda.probe();
  assert.is(!probe.available && probe.reason, 'cuBLAS 11 (libcublas.so.11) not found by the dynamic loader');
});

test('a package whose import throws fails init with GN0920, its first line and the install command', async () => {
  const node = createNodeBackend({ resolveFrom: fakeInstall(CPU_PACKAGE, { entry: 'throws' }) });
  const error = await gnetErrorOf(() => node.init());
  assert.is(error.code, 'GN0920');
  assert.match(error.message, /^GN0920: the node backend cannot load @tensorflow\/tfjs-node 4\.22\.0: The Node\.js native addon module \(tfjs_binding\.node\) can not be found at path: .*; on Linux, macOS or Windows x64: npm install @tensorflow\/tfjs-node/);
  assert.not.match(error.message, '\n');
});

test('a package that registers with another copy of tfjs-core fails init with GN0921 and how to match versions', async () => {
  const node = createNodeBackend({ resolveFrom: fakeInstall(CPU_PACKAGE, { entry: 'registers-nothing' }) });
  const error = await gnetErrorOf(() => node.init());
  assert.is(error.code, 'GN0921');
  assert.match(error.message, `its own copy of @tensorflow/tfjs-core, not gnet's ${tf.version_core}; install the matching release (npm install ${CPU_PACKAGE}@${tf.version_core})`);
});

test("a working install activates TensorFlow.js' 'tensorflow' backend; release removes it", async () => {
  const node = createNodeBackend({ resolveFrom: fakeInstall(CPU_PACKAGE, { entry: 'registers-cpu' }) });
  await node.init();
  assert.is(tf.getBackend(), 'tensorflow');
  const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
  assert.equal(Array.from(await product.data()), [19, 22, 43, 50]);
  const info = await node.describe();
  assert.equal([info.name, info.kind, info.software], ['tensorflow', 'cpu', false]);
  assert.match(info.detail, `through ${CPU_PACKAGE} 4.22.0`);
  await node.release();
  assert.not.ok('tensorflow' in tf.engine().registryFactory);
});

test('tfjs-node-gpu that starts libtensorflow on the CPU fails init with GN0922 and leaves nothing active', async () => {
  const cuda = createCudaBackend({ resolveFrom: fakeInstall(GPU_PACKAGE, { entry: 'registers-cpu-not-on-gpu' }), environment: cudaEnvironment() });
  const error = await gnetErrorOf(() => cuda.init());
  assert.is(error.code, 'GN0922');
  assert.match(error.message, 'libtensorflow started on the CPU: it found no usable GPU');
  assert.match(error.message, 'CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu');
  assert.not.ok('tensorflow' in tf.engine().registryFactory);
});

test('the registered cuda and node backends probe without throwing and name their package', async () => {
  for (const name of ['cuda', 'node'] as const) {
    const probe = await BACKENDS[name]!.probe();
    const text = probe.available ? probe.detail : `${probe.reason} ${probe.fix}`;
    assert.match(text, name === 'cuda' ? GPU_PACKAGE : CPU_PACKAGE);
  }
});

test.run();
