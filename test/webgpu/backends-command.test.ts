/** `gnet backends`: every backend, available or not and why, the device, and the one auto picks. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceInfo, GnetBackend, ProbeResult } from '../../backends/backend.js';
import { AUTO_ORDER, autoSelect } from '../../backends/index.js';
import { backends, surveyBackends } from '../../cli/commands/backends.js';
import { gpuTest } from './support/gpu-test.js';

const gpu = gpuTest();

function fake(name: string, probe: () => Promise<ProbeResult>, device?: Partial<DeviceInfo>): GnetBackend {
  return {
    name,
    probe,
    init: async () => undefined,
    describe: async () => ({ name, kind: 'cpu', software: false, detail: `${name} device`, ...device }),
    release: async () => undefined,
  };
}

const REGISTRY = {
  cuda: fake('cuda', async () => ({ available: false, reason: 'no NVIDIA driver', fix: 'install the driver' })),
  webgpu: fake('webgpu', async () => ({ available: true, detail: 'lavapipe', software: true }), { kind: 'gpu', software: true, detail: 'llvmpipe (software adapter)' }),
  wasm: fake('wasm', async () => {
    throw new Error('wasm binary truncated');
  }),
  cpu: fake('cpu', async () => ({ available: true, detail: 'js' })),
};

async function printed(registry = REGISTRY): Promise<string[]> {
  let text = '';
  const code = await backends(registry, { write: (chunk: string) => (text += chunk) });
  assert.is(code, 0);
  // Table rows without borders or colours: "name | status | details".
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.replace(/[│┌┐└┘├┤┬┴┼─]+/g, '|').replace(/\s*\|\s*/g, '|').replace(/^\||\|$/g, ''));
}

test('every backend is listed with its status, and why not with the fix', async () => {
  const lines = await printed();
  const row = (name: string) => lines.find((line) => line.startsWith(`${name}|`));
  assert.is(row('cuda'), 'cuda|unavailable|no NVIDIA driver');
  assert.ok(lines.includes('||fix: install the driver'));
  assert.is(row('node'), 'node|not built|gnet has no module for this backend');
  assert.is(row('webgpu'), 'webgpu|available (software)|GPU (software): llvmpipe (software adapter)');
  assert.is(row('wasm'), 'wasm|unavailable|its probe failed: wasm binary truncated');
  assert.is(row('cpu'), 'cpu|available|CPU: cpu device');
});

test('auto passes over unavailable backends and the software adapter', async () => {
  const lines = await printed();
  assert.ok(lines.includes('--backend auto picks: cpu'), lines.join('\n'));
  const { auto } = await surveyBackends({ cuda: REGISTRY.cuda });
  assert.match(auto, /^none: GN0902: no backend is available \(cuda: no NVIDIA driver\)/);
});

gpu('on this machine: every backend listed, auto as autoSelect picks it, the WebGPU adapter named', async () => {
  const { survey, auto } = await surveyBackends();
  assert.equal(survey.map((s) => s.name), [...AUTO_ORDER]);
  assert.is(auto, (await autoSelect()).name);
  const webgpu = survey.find((s) => s.name === 'webgpu')!;
  assert.ok(webgpu.probe?.available, JSON.stringify(webgpu.probe));
  const device = webgpu.device as DeviceInfo;
  assert.equal([device.kind, device.software], ['gpu', webgpu.probe?.available === true && webgpu.probe.software === true]);
  assert.match(device.detail, /\((software|hardware) adapter\) via Dawn/);
});

test.run();
