/// <reference types="@webgpu/types" />
/**
 * What gnet reports about a WebGPU adapter. Browser-safe: no Node imports, so the web page uses it too.
 */

export interface AdapterSummary {
  /** The driver's own description, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" or "NVIDIA GeForce RTX 4090". */
  readonly name: string;
  /** A CPU rasteriser behind the GPU API (lavapipe, SwiftShader, WARP): slower than the wasm backend. */
  readonly software: boolean;
}

/** Drivers that implement Vulkan / D3D on the CPU, for adapters that do not flag themselves as fallbacks. */
const SOFTWARE_DRIVERS = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

type Info = Partial<GPUAdapterInfo> & { readonly isFallbackAdapter?: boolean };

/**
 * The adapter's info. Current browsers and Dawn have `adapter.info` (the @webgpu/types that tfjs
 * pins predate it), and moved isFallbackAdapter there from the adapter.
 */
export function adapterInfo(adapter: GPUAdapter): Info {
  return (adapter as GPUAdapter & { readonly info?: Info }).info ?? {};
}

function isFallback(adapter: GPUAdapter): boolean {
  return adapterInfo(adapter).isFallbackAdapter ?? (adapter as { readonly isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
}

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const { vendor, architecture, device = '', description } = adapterInfo(adapter);
  const name = description || [vendor, architecture, device].filter(Boolean).join(' ') || 'unnamed adapter';
  const software = isFallback(adapter) || architecture === 'software' || SOFTWARE_DRIVERS.test(`${name} ${device}`);
  return { name, software };
}

export function describeSummary(summary: AdapterSummary): string {
  return `${summary.name} (${summary.software ? 'software' : 'hardware'} adapter)`;
}
