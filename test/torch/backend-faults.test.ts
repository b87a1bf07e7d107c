/**
 * The torch backend's set-up faults and `gnet backends`: no Python, Python without torch, a torch
 * too old, CUDA asked for but absent (gnet's check and the trainer's own), torch flags on another
 * backend; the Python fallback when python3 on PATH lacks torch; what `gnet backends` lists; and
 * the order `auto` chooses in (torch with CUDA before everything, torch on CPU before wasm).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GnetBackend, ProbeResult } from '../../backends/backend.js';
import { AUTO_ORDER, autoSelect, selectBackend } from '../../backends/index.js';
import { createTorchBackend } from '../../backends/torch/index.js';
import { type PythonRunner, probeTorch, versionAtLeast } from '../../backends/torch/python.js';
import { torchRuntimeDir } from '../../runtime/torch/package.js';
import { backends } from '../../cli/commands/backends.js';
import { gnetErrorOf } from '../gnet-error.js';
import { PYTHON, torchTestsRun } from './helpers.js';
import { CELLS_SPEC, gnet, tempRun } from './train-helpers.js';

const runs = torchTestsRun('backend-faults.test.ts');

/** A folder holding a fake torch package: `init` its __init__.py (absent when null: importing fails), `version` its version.py. */
function fakeTorchDir(init: string | null, version?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-fake-torch-'));
  mkdirSync(join(dir, 'torch'));
  writeFileSync(join(dir, 'torch', '__init__.py'), init ?? "raise ImportError(\"No module named 'torch'\")\n");
  if (version !== undefined) writeFileSync(join(dir, 'torch', 'version.py'), version);
  return dir;
}

/** A Python runner whose torch is replaced by `fakeTorch` (a package source), or absent when null. */
function fakeTorchRunner(fakeTorch: string | null, version?: string): PythonRunner {
  const dir = fakeTorchDir(fakeTorch, version);
  return (python, args) => {
    const result = spawnSync(python, [...args], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir } });
    return { status: result.status, stdout: result.stdout ?? '', error: result.error as NodeJS.ErrnoException | undefined };
  };
}

/** A torch that cannot be imported (a missing library, say) but whose version.py reads well. */
const BROKEN_INIT = 'raise OSError("libtorch_cpu.so: cannot open shared object file")\n';
const CPU_BUILD = "__version__ = '2.1.0'\ncuda = None\nhip = None\n";

const OLD_TORCH = `__version__ = '1.12.1'
def get_num_threads(): return 2
class version: cuda = None
class cuda:
    @staticmethod
    def is_available(): return False
class _D:
    @staticmethod
    def is_available(): return True
    @staticmethod
    def is_gloo_available(): return True
import sys; sys.modules['torch.distributed'] = _D; distributed = _D
`;

const hostWith = (env: NodeJS.ProcessEnv, run: PythonRunner, exists = existsSync) => ({ env, run, exists });
/** This machine's Python, torch as installed. */
const realPython: PythonRunner = (p, a) => spawnSync(p, [...a], { encoding: 'utf8' }) as never;

test('versions compare by number', () => {
  assert.ok(versionAtLeast('1.13.0a0+git', [1, 13]));
  assert.ok(versionAtLeast('2.1.2+cu121', [1, 13]));
  assert.not.ok(versionAtLeast('1.12.1', [1, 13]));
});

test('GNET_PYTHON naming no interpreter: GN0930 that says which and how to fix it', () => {
  const probe = probeTorch(hostWith({ GNET_PYTHON: '/nonexistent/python3' }, fakeTorchRunner(null)));
  assert.not.ok(probe.ok);
  if (probe.ok) return;
  assert.is(probe.code, 'GN0930');
  assert.match(probe.reason, /GNET_PYTHON=\/nonexistent\/python3: no Python interpreter/);
  assert.match(probe.fix, /GNET_PYTHON/);
});

if (runs) {
  test('Python without torch: GN0931 naming both install lines', () => {
    const probe = probeTorch(hostWith({ GNET_PYTHON: PYTHON }, fakeTorchRunner(null)));
    assert.not.ok(probe.ok);
    if (probe.ok) return;
    assert.is(probe.code, 'GN0931');
    assert.match(probe.reason, /cannot import torch/);
    assert.match(probe.fix, /apt-get install python3-torch.*pip install torch/);
  });

  test('torch 1.12: GN0932, too old, with the upgrade command', () => {
    const probe = probeTorch(hostWith({ GNET_PYTHON: PYTHON }, fakeTorchRunner(OLD_TORCH)));
    assert.not.ok(probe.ok);
    if (probe.ok) return;
    assert.is(probe.code, 'GN0932');
    assert.match(probe.reason, /torch 1\.12\.1, older than the 1\.13/);
    assert.match(probe.fix, /pip install --upgrade torch/);
  });

  test('the light probe reads a CPU-only build without importing torch; a CUDA build, or no version.py, goes to the full probe', () => {
    const host = (init: string | null, version?: string) => hostWith({ GNET_PYTHON: PYTHON }, fakeTorchRunner(init, version));
    const light = probeTorch(host(BROKEN_INIT, CPU_BUILD), 'light');
    assert.ok(light.ok, 'torch/__init__.py was not run');
    if (!light.ok) return;
    assert.equal([light.info.torch, light.info.cuda, light.info.threads, light.info.distributed], ['2.1.0', [], undefined, undefined]);
    for (const probe of [probeTorch(host(BROKEN_INIT, CPU_BUILD), 'full'), probeTorch(host(BROKEN_INIT, "__version__ = '2.1.0'\ncuda = '12.1'\nhip = None\n"), 'light'), probeTorch(host(BROKEN_INIT), 'light')]) {
      assert.ok(!probe.ok && probe.code === 'GN0931' && /OSError: libtorch_cpu\.so/.test(probe.reason), JSON.stringify(probe));
    }
    const old = probeTorch(host(BROKEN_INIT, "__version__ = '1.12.1'\ncuda = None\nhip = None\n"), 'light');
    assert.ok(!old.ok && old.code === 'GN0932', JSON.stringify(old));
    const real = (['light', 'full'] as const).map((depth) => probeTorch(hostWith({ GNET_PYTHON: PYTHON }, realPython), depth));
    assert.ok(real[0]!.ok && real[1]!.ok);
    if (real[0]!.ok && real[1]!.ok && real[1]!.info.cudaBuild === null) {
      assert.equal([real[0]!.info.torch, real[0]!.info.cuda, real[0]!.info.cpus], [real[1]!.info.torch, real[1]!.info.cuda, real[1]!.info.cpus], 'the light probe agrees with the full one');
    }
  });

  test('a torch the light probe passed but that cannot be imported: the worker says GN0931 with the reason, no stack trace, exit 1', async () => {
    const { code, stderr } = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--out', tempRun('broken')], { GNET_PYTHON: PYTHON, PYTHONPATH: fakeTorchDir(BROKEN_INIT, CPU_BUILD) }).exited;
    assert.is(code, 1, stderr);
    const errors = stderr.split('\n').filter((l) => l.startsWith('gnet: error['));
    assert.is(errors.length, 1, stderr);
    assert.match(errors[0]!, /^gnet: error\[GN0931\]: .*cannot import torch and numpy \(OSError: libtorch_cpu\.so: cannot open shared object file\); install torch: apt-get install python3-torch/);
    assert.not.match(stderr, /\n\s+at |Traceback/);
  });

  test('python3 on PATH without torch falls back to /usr/bin/python3, and says so', () => {
    const withoutTorch = fakeTorchRunner(null);
    const run: PythonRunner = (python, args) => (python === 'python3' ? withoutTorch(python, args) : realPython(python, args));
    const probe = probeTorch(hostWith({}, run));
    assert.ok(probe.ok);
    if (!probe.ok) return;
    assert.is(probe.info.python, PYTHON);
    assert.match(probe.info.note ?? '', /python3 on PATH has no torch .*using \/usr\/bin\/python3.*GNET_PYTHON/);
  });

  test('gnet backends lists torch: versions, threads, CUDA, distributed back ends; or why not', async () => {
    let text = '';
    await backends({ torch: createTorchBackend(() => probeTorch(hostWith({ GNET_PYTHON: PYTHON }, realPython))) }, { write: (t: string) => (text += t) });
    assert.match(text, /torch +│? *available/);
    assert.match(text.replace(/\s+/g, ' '), /torch 1\.\d+[^ ]* on Python 3\.\d+/);
    assert.match(text.replace(/\s+/g, ' '), /\d+ CPUs/);
    assert.match(text.replace(/\s+/g, ' '), /distributed: gloo/);
    let missing = '';
    await backends({ torch: createTorchBackend(() => probeTorch(hostWith({ GNET_PYTHON: '/nonexistent/python3' }, fakeTorchRunner(null)))) }, { write: (t: string) => (missing += t) });
    assert.match(missing.replace(/\s+/g, ' '), /unavailable .*no Python interpreter .*fix: point GNET_PYTHON/);
  });

  test('--backend torch without a Python: the probe code, the reason and the fix, exit 1', async () => {
    const { code, stderr } = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--out', tempRun('nopython')], { GNET_PYTHON: '/nonexistent/python3' }).exited;
    assert.is(code, 1);
    assert.match(stderr, /error\[GN0930\]: backend 'torch' is unavailable: GNET_PYTHON=\/nonexistent\/python3: no Python interpreter/);
    assert.not.match(stderr, /at .*\.ts:\d+/);
  });

  test('--device cuda without CUDA: GN0933 before anything is written; the torch workers refuse it too', async () => {
    const out = tempRun('cuda');
    const { code, stderr } = await gnet(['train', CELLS_SPEC, '--backend', 'torch', '--device', 'cuda', '--out', out]).exited;
    assert.is(code, 1);
    assert.match(stderr, /error\[GN0933\]: --device cuda asks for CUDA, but torch sees no CUDA device here; .*--device cpu/);
    assert.not.ok(existsSync(out));
    const direct = spawnSync(PYTHON, ['-c', 'from gnet_torch.dist import choose_device\ntry:\n    choose_device("cuda:0", 0)\nexcept Exception as e:\n    print(e.code, e.message)'], { cwd: join(torchRuntimeDir(), '..'), encoding: 'utf8' });
    assert.match(direct.stdout, /^GN0933 --device cuda:0 asks for CUDA, but torch .* sees no CUDA device/);
  });

  test('torch flags on another backend: GN0937', async () => {
    const { code, stderr } = await gnet(['train', CELLS_SPEC, '--backend', 'cpu', '--workers', '2', '--out', tempRun('flags')]).exited;
    assert.is(code, 1);
    assert.match(stderr, /error\[GN0937\]: --workers applies to the torch backend only, but this run uses cpu; add --backend torch/);
  });
}

function fake(name: string, probe: ProbeResult): GnetBackend {
  return { name, probe: async () => probe, init: async () => undefined, describe: async () => ({ name, kind: 'cpu', software: false, detail: '' }), release: async () => undefined };
}

test('auto: torch with CUDA before everything; torch on CPU after a hardware GPU, before wasm', async () => {
  const up = { available: true, detail: '' } as const;
  const down = { available: false, reason: 'absent', fix: 'install it' } as const;
  const registry = (torch: ProbeResult, webgpu: ProbeResult) => ({ cuda: fake('cuda', up), webgpu: fake('webgpu', webgpu), torch: fake('torch', torch), wasm: fake('wasm', up), cpu: fake('cpu', up) });
  assert.is((await autoSelect(AUTO_ORDER, registry({ ...up, preferred: true }, up))).name, 'torch');
  assert.is((await autoSelect(AUTO_ORDER, registry(up, up))).name, 'cuda');
  const noGpus = { webgpu: fake('webgpu', down), torch: fake('torch', up), wasm: fake('wasm', up) };
  assert.is((await autoSelect(AUTO_ORDER, noGpus)).name, 'torch');
  assert.is((await autoSelect(AUTO_ORDER, { ...noGpus, torch: fake('torch', down) })).name, 'wasm');
  const error = await gnetErrorOf(() => selectBackend('torch', { torch: fake('torch', { ...down, code: 'GN0931' }) }));
  assert.is(error.code, 'GN0931');
});

test.run();
