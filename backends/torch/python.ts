import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TORCH_ERRORS, type TorchErrorCode } from './codes.js';

/**
 * Which Python runs the torch backend, and what it has. GNET_PYTHON wins; otherwise `python3` on
 * PATH, and when that one lacks torch (a pyenv or venv interpreter beside a system torch) the
 * system's /usr/bin/python3 if it has torch — said out loud, with how to choose explicitly.
 */
export interface TorchInfo {
  readonly python: string;
  readonly pythonVersion: string;
  readonly torch: string;
  readonly numpy: string;
  /** torch.get_num_threads(); absent from a light probe, which does not import torch. */
  readonly threads?: number;
  /** CPUs this process may run on (its affinity); Debian's torch reports 1 thread on two of them. */
  readonly cpus?: number;
  readonly cudaBuild: string | null;
  readonly cuda: readonly { readonly name: string; readonly memory: number }[];
  /** Absent from a light probe. */
  readonly distributed?: readonly string[];
  /** Why this interpreter and not the first one tried, when they differ. */
  readonly note?: string;
}

export type TorchProbe = { readonly ok: true; readonly info: TorchInfo } | { readonly ok: false; readonly code: TorchErrorCode; readonly reason: string; readonly fix: string };

export const MIN_TORCH = [1, 13] as const;
const SYSTEM_PYTHON = '/usr/bin/python3';
const INSTALL = 'install torch: apt-get install python3-torch (Debian), or pip install torch; or point GNET_PYTHON at a Python that has it';

/** Prints one JSON line describing the interpreter; exits 3 when torch or numpy cannot be imported. */
const PROBE_SCRIPT = String.raw`
import json, platform, sys
out = {'python': sys.executable, 'pythonVersion': platform.python_version()}
try:
    import numpy
    out['numpy'] = numpy.__version__
    import torch
except Exception as e:
    out['missing'] = f'{type(e).__name__}: {e}'
    print(json.dumps(out)); sys.exit(3)
out['torch'] = torch.__version__
out['threads'] = torch.get_num_threads()
import os
out['cpus'] = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1)
out['cudaBuild'] = torch.version.cuda
cuda = []
try:
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            p = torch.cuda.get_device_properties(i)
            cuda.append({'name': p.name, 'memory': p.total_memory})
except Exception:
    pass
out['cuda'] = cuda
import torch.distributed as d
out['distributed'] = [b for b, f in (('gloo', 'is_gloo_available'), ('nccl', 'is_nccl_available'), ('mpi', 'is_mpi_available')) if d.is_available() and getattr(d, f, lambda: False)()]
print(json.dumps(out))
`;

/**
 * The light probe: finds torch and numpy and reads torch/version.py without importing torch (which
 * costs a second or more of CPU in every gnet process that trains on torch, and the workers import it
 * anyway). It decides only for a CPU-only build (no CUDA or ROCm version), where no GPU can be seen;
 * for any other build, or anything it cannot read, it prints {"light": false} and the full probe runs.
 * The worker's entry reports a torch that is present but cannot be imported with the probe's code.
 */
const LIGHT_PROBE_SCRIPT = String.raw`
import json, os, platform, sys
from importlib import metadata, util
try:
    torch, numpy = util.find_spec('torch'), util.find_spec('numpy')
    version = {}
    with open(os.path.join(list(torch.submodule_search_locations)[0], 'version.py'), encoding='utf-8') as f:
        exec(f.read(), version)
    assert numpy is not None and 'cuda' in version and version['cuda'] is None and version.get('hip') is None
    try:
        numpy_version = metadata.version('numpy')
    except Exception:
        numpy_version = 'unknown'
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1)
    print(json.dumps({'light': True, 'python': sys.executable, 'pythonVersion': platform.python_version(), 'torch': str(version['__version__']), 'numpy': numpy_version, 'cpus': cpus, 'cudaBuild': None, 'cuda': []}))
except Exception:
    print(json.dumps({'light': False}))
`;

/** How much the probe finds out: `light` is enough to train on a CPU-only build; `gnet backends` asks for `full`. */
export type ProbeDepth = 'light' | 'full';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly error?: NodeJS.ErrnoException;
}

export type PythonRunner = (python: string, args: readonly string[]) => Run;

const runPython: PythonRunner = (python, args) => {
  const result = spawnSync(python, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
  return { status: result.status, stdout: result.stdout ?? '', error: result.error as NodeJS.ErrnoException | undefined };
};

/** The light probe's answer, or undefined when only the full probe can tell. */
function probeLightly(python: string, run: PythonRunner): TorchProbe | undefined {
  const result = run(python, ['-c', LIGHT_PROBE_SCRIPT]);
  if (result.error || result.status !== 0) return undefined;
  try {
    const { light, ...info } = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { light?: boolean } & TorchInfo;
    return light === true ? checkedVersion(python, info) : undefined;
  } catch {
    return undefined;
  }
}

function checkedVersion(python: string, info: TorchInfo): TorchProbe {
  if (!versionAtLeast(info.torch, MIN_TORCH)) {
    return { ok: false, code: TORCH_ERRORS.oldTorch, reason: `${python} has torch ${info.torch}, older than the ${MIN_TORCH.join('.')} gnet needs`, fix: 'pip install --upgrade torch (or apt-get install python3-torch on Debian bookworm or later)' };
  }
  return { ok: true, info };
}

function probeOne(python: string, run: PythonRunner, depth: ProbeDepth): TorchProbe {
  const light = depth === 'light' ? probeLightly(python, run) : undefined;
  if (light) return light;
  const result = run(python, ['-c', PROBE_SCRIPT]);
  if (result.error) {
    const missing = result.error.code === 'ENOENT';
    return { ok: false, code: TORCH_ERRORS.noPython, reason: missing ? `no Python interpreter '${python}' was found` : `'${python}' could not be started (${result.error.message})`, fix: 'install Python 3 (apt-get install python3-torch brings both) or set GNET_PYTHON to a Python that has torch' };
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
  } catch {
    return { ok: false, code: TORCH_ERRORS.noPython, reason: `'${python}' did not run gnet's probe (exit ${result.status})`, fix: 'set GNET_PYTHON to a Python 3 interpreter that has torch' };
  }
  if (result.status === 3 || parsed.torch === undefined) {
    return { ok: false, code: TORCH_ERRORS.noTorch, reason: `${python} (Python ${parsed.pythonVersion ?? '?'}) cannot import torch and numpy (${parsed.missing ?? `exit ${result.status}`})`, fix: INSTALL };
  }
  return checkedVersion(python, parsed as unknown as TorchInfo);
}

export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('+')[0]!.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < minimum.length; i++) {
    const v = Number.isFinite(parts[i]) ? parts[i]! : 0;
    if (v !== minimum[i]) return v > minimum[i]!;
  }
  return true;
}

export interface ProbeEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly run: PythonRunner;
  readonly exists: (path: string) => boolean;
}

const HOST: ProbeEnvironment = { env: process.env, run: runPython, exists: existsSync };

/** Finds the Python the torch backend uses and what it offers; never throws. */
export function probeTorch(host: ProbeEnvironment = HOST, depth: ProbeDepth = 'full'): TorchProbe {
  const chosen = host.env.GNET_PYTHON;
  if (chosen) {
    const probe = probeOne(chosen, host.run, depth);
    if (!probe.ok && probe.code === TORCH_ERRORS.noPython) return { ...probe, reason: `GNET_PYTHON=${chosen}: ${probe.reason}`, fix: 'point GNET_PYTHON at a Python 3 interpreter that has torch, or unset it to use python3 on PATH' };
    return probe;
  }
  const first = probeOne('python3', host.run, depth);
  if (first.ok) return first;
  if (host.exists(SYSTEM_PYTHON)) {
    const system = probeOne(SYSTEM_PYTHON, host.run, depth);
    if (system.ok) {
      return { ok: true, info: { ...system.info, note: `python3 on PATH has no torch (${first.reason}); using ${SYSTEM_PYTHON}, which has; set GNET_PYTHON to choose another` } };
    }
  }
  return first;
}

const cached: Partial<Record<ProbeDepth, TorchProbe>> = {};

/** probeTorch, once per process and depth (a full one also answers a light one). */
export function probeTorchOnce(depth: ProbeDepth = 'light'): TorchProbe {
  const known = cached.full ?? cached[depth];
  if (known) return known;
  return (cached[depth] = probeTorch(HOST, depth));
}

/** One line for `gnet backends`: versions, threads, GPUs, distributed back ends. */
export function describeTorch(info: TorchInfo): string {
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const gpus = info.cuda.length > 0 ? info.cuda.map((d, i) => `cuda:${i} ${d.name} (${gib(d.memory)})`).join(', ') : info.cudaBuild ? `no CUDA device visible (CUDA ${info.cudaBuild} build)` : 'no CUDA (CPU-only build)';
  const note = info.note ? `; ${info.note}` : '';
  const distributed = info.distributed ? `; distributed: ${info.distributed.join(', ') || 'none'}` : '';
  return `torch ${info.torch} on Python ${info.pythonVersion} (${info.python}), ${info.cpus ?? info.threads} CPUs; ${gpus}${distributed}${note}`;
}
