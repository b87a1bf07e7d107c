/**
 * A gnet backend over a tfjs-node package. Both packages register TensorFlow.js' 'tensorflow'
 * backend (libtensorflow through a native addon) when imported; gnet imports them only in init,
 * by path, so nothing needs them installed to build or to run on another backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { pathToFileURL } from 'node:url';
import { GnetError } from '../../runtime/errors.js';
import type { DeviceInfo, GnetBackend } from '../backend.js';
import { activate, deactivate } from '../lifecycle.js';
import { findPackage, probeNativePackage, type NativePackage } from './probe.js';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

/** The name tfjs-node registers its backend under. */
export const TFJS_NODE_BACKEND = 'tensorflow';

export const NATIVE_CODES = {
  /** Importing the package threw (addon or libtensorflow failed to load). */
  loadFailed: 'GN0920',
  /** The package registered its backend with another copy of tfjs-core. */
  otherCore: 'GN0921',
  /** tfjs-node-gpu loaded but libtensorflow found no usable GPU. */
  noGpu: 'GN0922',
} as const satisfies Record<string, GnCode>;

export interface NativeBackendSpec extends NativePackage {
  readonly name: 'cuda' | 'node';
  readonly kind: DeviceInfo['kind'];
  /** After init, why the backend does not run as promised (cuda on the CPU), or undefined. */
  readonly verify?: (backend: tf.KernelBackend) => string | undefined;
}

export interface NativeOptions {
  /** Where packages are resolved from (a module's path or URL); tests point it at fake installs. */
  readonly resolveFrom?: string;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

export function nativeBackend(spec: NativeBackendSpec, options: NativeOptions = {}): GnetBackend {
  const resolveFrom = options.resolveFrom ?? import.meta.url;
  const installed = () => findPackage(spec.packageName, resolveFrom);

  async function load(): Promise<void> {
    const found = installed();
    if (found === undefined) throw new GnetError(NATIVE_CODES.loadFailed, `${spec.packageName} is not installed; ${spec.install}`);
    try {
      await import(pathToFileURL(found.main).href);
    } catch (error) {
      throw new GnetError(NATIVE_CODES.loadFailed, `the ${spec.name} backend cannot load ${spec.packageName} ${found.version}: ${firstLine(error)}; ${spec.install}`);
    }
    if (!(TFJS_NODE_BACKEND in tf.engine().registryFactory)) {
      throw new GnetError(
        NATIVE_CODES.otherCore,
        `${spec.packageName} ${found.version} registered its backend with its own copy of @tensorflow/tfjs-core, not gnet's ${tf.version_core}; install the matching release (npm install ${spec.packageName}@${tf.version_core}) and run npm dedupe`,
      );
    }
  }

  return {
    name: spec.name,
    probe: async () => probeNativePackage(spec, resolveFrom),
    async init() {
      await activate(TFJS_NODE_BACKEND, load);
      const problem = spec.verify?.(tf.backend());
      if (problem !== undefined) {
        deactivate(TFJS_NODE_BACKEND);
        throw new GnetError(NATIVE_CODES.noGpu, `${problem}; ${spec.install}, or choose --backend node`);
      }
    },
    async describe() {
      const found = installed();
      const what = found === undefined ? `${spec.packageName} (not installed)` : `${spec.packageName} ${found.version}`;
      return { name: TFJS_NODE_BACKEND, kind: spec.kind, software: false, detail: `libtensorflow (TensorFlow C library) through ${what}` };
    },
    async release() {
      deactivate(TFJS_NODE_BACKEND);
    },
  };
}
