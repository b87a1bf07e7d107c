/**
 * Probing a tfjs-node package (@tensorflow/tfjs-node or -node-gpu) without importing it: importing
 * registers its backend and loads libtensorflow. The package is found, its native addon located,
 * the platform's requirements checked, and the addon loaded in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ProbeResult } from '../backend.js';

/** Why a native backend cannot run: what is missing, and how to install it. */
export interface Missing {
  readonly reason: string;
  readonly fix: string;
}

export interface NativePackage {
  readonly packageName: string;
  /** The install command with the platform it needs, e.g. "on Linux x64 with CUDA 11.2 …: npm install …". */
  readonly install: string;
  /** Checks beyond the package itself (cuda: the NVIDIA driver and CUDA libraries). */
  readonly requirements?: () => Missing | undefined;
}

export interface FoundPackage {
  readonly dir: string;
  readonly version: string;
  /** The package's entry, to import by path. */
  readonly main: string;
}

/** The package as `resolveFrom` (a file path or URL of a module) would import it. */
export function findPackage(packageName: string, resolveFrom: string): FoundPackage | undefined {
  const require = createRequire(resolveFrom);
  try {
    const manifest = require.resolve(`${packageName}/package.json`);
    return { dir: dirname(manifest), version: (require(manifest) as { version: string }).version, main: require.resolve(packageName) };
  } catch {
    return undefined;
  }
}

/** lib/napi-v*\/tfjs_binding.node: where the package's install step puts the addon it builds or downloads. */
export function findAddon(packageDir: string): string | undefined {
  const lib = join(packageDir, 'lib');
  if (!existsSync(lib)) return undefined;
  const folders = readdirSync(lib).filter((name) => name.startsWith('napi-v')).sort().reverse();
  return folders.map((folder) => join(lib, folder, 'tfjs_binding.node')).find((path) => existsSync(path));
}

/** Loads the addon in a child process; its first error line when that fails (a missing libtensorflow, a wrong platform). */
export function addonLoadError(addon: string): string | undefined {
  const script = `process.dlopen({ exports: {} }, ${JSON.stringify(addon)})`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (child.status === 0) return undefined;
  const message = /Error: (.+)/.exec(child.stderr)?.[1] ?? child.stderr.trim().split('\n')[0] ?? `exit code ${child.status}`;
  return message.trim();
}

export function probeNativePackage(spec: NativePackage, resolveFrom: string): ProbeResult {
  const { packageName, install } = spec;
  const found = findPackage(packageName, resolveFrom);
  if (found === undefined) return { available: false, reason: `${packageName} is not installed (it is optional)`, fix: install };
  const rebuild = `npm rebuild ${packageName} (its install step downloads libtensorflow, so it needs network access)`;
  const addon = findAddon(found.dir);
  if (addon === undefined) {
    return { available: false, reason: `${packageName} ${found.version} has no native addon (lib/napi-v*/tfjs_binding.node): its install step did not run or failed`, fix: rebuild };
  }
  const missing = spec.requirements?.();
  if (missing !== undefined) return { available: false, ...missing };
  const loadError = addonLoadError(addon);
  if (loadError !== undefined) return { available: false, reason: `the native addon of ${packageName} ${found.version} does not load: ${loadError}`, fix: rebuild };
  return { available: true, detail: `libtensorflow through ${packageName} ${found.version}` };
}
