import { gaussKernelGrid } from './kernel-grid.js';
import type { GaussLayerInfo, Weights } from './model.js';
import { encodePng, pngDataUrl, upscale } from './png.js';

export { divergingColour } from './kernel-grid.js';

/**
 * The learned kernels of a gauss layer as one PNG: a grid with a row per basis and a column per
 * kernel of the basis (orders (p, q) in the basis order of docs/gauss-layer.md §2), computed from the trained σ, μ, θ.
 * Each kernel is scaled by its own largest |value|: white is 0, red positive, blue negative.
 */
export interface KernelImage {
  readonly layer: string;
  readonly bases: number;
  readonly perBasis: number;
  readonly size: readonly [number, number];
  readonly png: Uint8Array;
  readonly dataUrl: string;
}

export async function drawGaussKernels(layer: GaussLayerInfo, weights: Weights, scale = 8): Promise<KernelImage> {
  const grid = await gaussKernelGrid(layer, weights);
  const big = upscale(grid.rgba, grid.width, grid.height, scale);
  const png = encodePng(big.width, big.height, big.rgba);
  return { layer: grid.layer, bases: grid.bases, perBasis: grid.perBasis, size: grid.size, png, dataUrl: pngDataUrl(png) };
}
