import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GnetBackend, ProbeResult } from '../../backends/backend.js';
import { AUTO_ORDER, BACKENDS, autoSelect, backendNames, selectBackend, type BackendRegistry } from '../../backends/index.js';
import { gnetErrorOf } from '../gnet-error.js';

/** A stand-in backend that records its init calls. */
function fake(name: string, probe: ProbeResult): GnetBackend & { inits: number } {
  return {
    name,
    inits: 0,
    probe: async () => probe,
    async init() {
      this.inits++;
    },
    describe: async () => ({ name, kind: 'cpu', software: false, detail: 'fake' }),
    release: async () => undefined,
  };
}

const missing: ProbeResult = { available: false, reason: 'libcuda.so not found', fix: 'install the CUDA 11.8 runtime' };

test('importing the registry and probing cpu and wasm registers and activates nothing with TensorFlow.js', () => {
  const script = fileURLToPath(new URL('./fixtures/probe-all.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  const { probes, factories, active } = JSON.parse(output.trim().split('\n').at(-1) ?? '');
  assert.equal(factories, []);
  assert.is(active, null);
  assert.ok(probes.wasm.available && probes.wasm.detail.includes('@tensorflow/tfjs-backend-wasm 4.22'), probes.wasm.detail);
  assert.ok(probes.cpu.available);
});

test('an unknown backend name is GN0901 and lists the valid names', async () => {
  const error = await gnetErrorOf(() => selectBackend('tpu'));
  assert.is(error.code, 'GN0901');
  assert.match(error.message, `unknown backend 'tpu'; use one of: auto, ${backendNames().join(', ')}`);
  assert.match(error.message, /wasm, cpu$/);
});

test('an unavailable backend is GN0902 with the reason and the fix', async () => {
  const cuda = fake('cuda', missing);
  const error = await gnetErrorOf(() => selectBackend('cuda', { cuda }));
  assert.is(error.code, 'GN0902');
  assert.match(error.message, "backend 'cuda' is unavailable: libcuda.so not found; install the CUDA 11.8 runtime");
  assert.is(cuda.inits, 0);
});

test('auto takes the first available hardware backend in AUTO_ORDER and initialises only it', async () => {
  const registry = {
    cuda: fake('cuda', missing),
    webgpu: fake('webgpu', { available: true, detail: 'SwiftShader', software: true }),
    wasm: fake('wasm', { available: true, detail: 'wasm' }),
    cpu: fake('cpu', { available: true, detail: 'cpu' }),
  };
  const chosen = await selectBackend('auto', registry);
  assert.is(chosen, registry.wasm);
  assert.equal([registry.cuda.inits, registry.webgpu.inits, registry.wasm.inits, registry.cpu.inits], [0, 0, 1, 0]);
  assert.is(await autoSelect(['cpu', 'wasm'], registry), registry.cpu);
});

test('auto with nothing available is GN0902 naming each backend passed over', async () => {
  const registry: BackendRegistry = { cuda: fake('cuda', missing), webgpu: fake('webgpu', { available: true, detail: 'x', software: true }) };
  const error = await gnetErrorOf(() => autoSelect(AUTO_ORDER, registry));
  assert.is(error.code, 'GN0902');
  assert.match(error.message, 'cuda: libcuda.so not found; webgpu: software implementation only');
});

test('the registry lists the built backends in auto order, torch (on the CPU) before wasm, wasm before cpu', () => {
  assert.equal(AUTO_ORDER, ['cuda', 'node', 'webgpu', 'torch', 'wasm', 'cpu']);
  const names = backendNames();
  assert.equal(names.slice(-2), ['wasm', 'cpu']);
  assert.equal(names, [...names].sort((a, b) => AUTO_ORDER.indexOf(a) - AUTO_ORDER.indexOf(b)));
});

test('selecting wasm activates it; release and init bring it back with working kernels', async () => {
  const wasm = await selectBackend('wasm');
  assert.is(wasm, BACKENDS.wasm);
  assert.is(tf.getBackend(), 'wasm');
  const info = await wasm.describe();
  assert.equal([info.name, info.kind, info.software], ['wasm', 'cpu', false]);
  assert.match(info.detail, /XNNPACK via WebAssembly \((SIMD|no SIMD), 1 thread\)/);
  await wasm.release();
  assert.is(tf.engine().backendName, null);
  await wasm.init();
  const sum = tf.tidy(() => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same')));
  // Each output sums its in-bounds 3×3 neighbours: 4 corners · 4 + 8 edges · 6 + 4 inner · 9.
  assert.is((await sum.data())[0], 100);
  sum.dispose();
});

test('cpu selects, describes itself and survives release', async () => {
  const cpu = await selectBackend('cpu');
  assert.is(tf.getBackend(), 'cpu');
  assert.match((await cpu.describe()).detail, 'plain JavaScript');
  await cpu.release();
  await cpu.init();
  assert.is(tf.getBackend(), 'cpu');
});

test('a network on volumes: a backend without 3-D ops is GN0879 naming those with them, and auto passes over it', async () => {
  const webgpu = { ...fake('webgpu', { available: true, detail: 'fake gpu' }), volumes: BACKENDS.webgpu!.volumes };
  const registry: BackendRegistry = { webgpu, wasm: fake('wasm', { available: true, detail: 'fake' }), cpu: fake('cpu', { available: true, detail: 'fake' }) };
  const error = await gnetErrorOf(() => selectBackend('webgpu', registry, { volumes: true }));
  assert.is(error.code, 'GN0879');
  assert.match(error.message, /^GN0879: backend 'webgpu' cannot run networks on volumes \(D x H x W x C inputs\): tfjs-backend-webgpu 4\.22 fails on rank-5 tensors .*; use --backend wasm, --backend cpu$/);
  assert.is(webgpu.inits, 0, 'refused before it starts');
  assert.is((await selectBackend('auto', registry, { volumes: true })).name, 'wasm');
  assert.is((await selectBackend('auto', registry)).name, 'webgpu', 'an image network keeps it');
});

test.run();
