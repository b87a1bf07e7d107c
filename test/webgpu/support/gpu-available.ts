/**
 * Whether this machine can run the WebGPU tests, judged without gnet's own probe (a broken probe
 * must fail the tests, not skip them): on Linux, Dawn needs an installed Vulkan driver (an ICD
 * manifest); elsewhere it uses Metal or D3D12.
 */
import { existsSync, readdirSync } from 'node:fs';

const ICD_FOLDERS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

function hasManifest(folder: string): boolean {
  return existsSync(folder) && readdirSync(folder).some((name) => name.endsWith('.json'));
}

/** Why the WebGPU tests cannot run here, or undefined when they can. */
export function vulkanMissing(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return undefined;
  if (ICD_FOLDERS.some(hasManifest)) return undefined;
  return `no Vulkan driver is installed (no ICD manifest in ${ICD_FOLDERS[0]}); as root, run .ci/install-webgpu.sh`;
}
