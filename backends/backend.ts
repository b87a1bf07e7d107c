import type { GnCode } from '../compiler/diagnostics/codes.js';
/**
 * The contract every backend module implements. A backend module wraps one TensorFlow.js
 * backend package; importing the module itself has no side effects (the package is only
 * imported by `init`), so the registry can probe every backend without registering any.
 */

/** What `probe` found: usable, or not and why, with the command or step that fixes it. */
export type ProbeResult =
  /** `software`: only a software implementation (e.g. a fallback WebGPU adapter); auto-selection passes over it. */
  /** `preferred`: auto picks it before every other backend (torch with a CUDA device). */
  | { readonly available: true; readonly detail: string; readonly software?: boolean; readonly preferred?: boolean }
  /** `code`: the error code to report when the backend is asked for by name (default GN0902). */
  | { readonly available: false; readonly reason: string; readonly fix: string; readonly code?: GnCode };

export interface DeviceInfo {
  /** The tfjs backend name (`tf.getBackend()` once initialised). */
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  /** True when a GPU API is served by a software rasteriser (SwiftShader, a fallback adapter). */
  readonly software: boolean;
  /** One human line: processor model, SIMD, threads, adapter. */
  readonly detail: string;
}

export interface GnetBackend {
  readonly name: string;
  /** Why it cannot run networks on volumes (5-D NDHWC tensors), for GN0879; absent when it can. */
  readonly volumes?: string;
  /** Says whether the backend can run here, without importing, registering or setting it. */
  probe(): Promise<ProbeResult>;
  /** Registers the backend with TensorFlow.js and makes it the active one. */
  init(): Promise<void>;
  describe(): Promise<DeviceInfo>;
  /** Frees what `init` allocated; a later `init` starts afresh. */
  release(): Promise<void>;
}
