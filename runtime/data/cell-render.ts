import type { Nucleus, Rasterised } from './cell-geometry.js';
import { type Random, uniform } from './random.js';

/**
 * Turns nucleus geometry into a fluorescence-like picture: textured stain, debris that is not a
 * nucleus, optical blur, uneven illumination and signal-dependent noise. Returns bytes H×W×C.
 */
export function renderCells(random: Random, nuclei: readonly Nucleus[], raster: Rasterised, height: number, width: number, channels: number): Uint8Array {
  const stain = stainSignal(random, nuclei, raster, height, width);
  addDebris(random, stain, height, width);
  const blurred = gaussianBlur(stain, height, width, uniform(random, 0.7, 1.6));
  const { background, gain } = illumination(random, height, width);
  const tint = channels === 3 ? [uniform(random, 0.15, 0.45), uniform(random, 0.3, 0.7), uniform(random, 0.85, 1)] : [1];
  const backgroundTint = channels === 3 ? [uniform(random, 0.8, 1.2), uniform(random, 0.8, 1.2), uniform(random, 0.8, 1.2)] : [1];
  const floorNoise = uniform(random, 0.01, 0.04);
  const shotNoise = uniform(random, 0.02, 0.07);
  const noise = normals(random, height * width * channels);
  const image = new Uint8ClampedArray(height * width * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < height * width; i++) {
      const clean = background[i] * backgroundTint[c] + gain[i] * blurred[i] * tint[c];
      const at = i * channels + c;
      image[at] = 255 * (clean + noise[at] * (floorNoise + shotNoise * Math.sqrt(clean)));
    }
  }
  return new Uint8Array(image.buffer);
}

/**
 * Near-normal samples (mean 0, sd 1) as the sum of the four bytes of one random word
 * (Irwin–Hall): a fraction of Box–Muller's cost, and pixel noise needs no exact tails.
 */
function normals(random: Random, count: number): Float32Array {
  const mean = 2 * 255;
  const sd = Math.sqrt((4 * (256 * 256 - 1)) / 12);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const word = (random() * 4294967296) >>> 0;
    out[i] = ((word & 255) + ((word >>> 8) & 255) + ((word >>> 16) & 255) + (word >>> 24) - mean) / sd;
  }
  return out;
}

/** Stain per nucleus, a little brighter inside, with coarse chromatin texture from bilinear value noise. */
function stainSignal(random: Random, nuclei: readonly Nucleus[], raster: Rasterised, height: number, width: number): Float32Array {
  const texture = valueNoise(random, height, width, 4);
  const signal = new Float32Array(height * width);
  for (let i = 0; i < signal.length; i++) {
    const id = raster.instances[i];
    if (id === 0) continue;
    const d = raster.distance[i];
    signal[i] = nuclei[id - 1].brightness * (0.8 + 0.2 * (1 - d * d)) * (0.75 + 0.5 * texture[i]);
  }
  return signal;
}

/** Small bright specks (1–2.5 px) that are background in the mask: size, not brightness, tells them apart. */
function addDebris(random: Random, signal: Float32Array, height: number, width: number): void {
  const specks = Math.floor(uniform(random, 0, 1 + (height * width) / 4096));
  for (let s = 0; s < specks; s++) {
    const cy = uniform(random, 0, height);
    const cx = uniform(random, 0, width);
    const radius = uniform(random, 1, 2.5);
    const brightness = uniform(random, 0.3, 0.9);
    for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(height - 1, Math.ceil(cy + radius)); y++) {
      for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(width - 1, Math.ceil(cx + radius)); x++) {
        if ((y + 0.5 - cy) ** 2 + (x + 0.5 - cx) ** 2 < radius * radius) signal[y * width + x] = Math.max(signal[y * width + x], brightness);
      }
    }
  }
}

/** Additive background (offset, linear ramp, one broad glow) and a multiplicative gain that falls across the field. */
function illumination(random: Random, height: number, width: number): { background: Float32Array; gain: Float32Array } {
  const offset = uniform(random, 0.03, 0.15);
  const ramp = uniform(random, 0, 0.15);
  const direction = uniform(random, 0, 2 * Math.PI);
  const glow = uniform(random, 0, 0.15);
  const [gy, gx] = [uniform(random, 0, height), uniform(random, 0, width)];
  const spread = 0.5 * Math.max(height, width);
  const falloff = uniform(random, 0, 0.4);
  const size = Math.max(height, width);
  const glowRows = Float32Array.from({ length: height }, (_, y) => glow * Math.exp(-((y - gy) ** 2) / (2 * spread * spread)));
  const glowColumns = Float32Array.from({ length: width }, (_, x) => Math.exp(-((x - gx) ** 2) / (2 * spread * spread)));
  const background = new Float32Array(height * width);
  const gain = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = ((x - width / 2) * Math.cos(direction) + (y - height / 2) * Math.sin(direction)) / size + 0.5;
      background[y * width + x] = offset + ramp * along + glowRows[y] * glowColumns[x];
      gain[y * width + x] = 1 - falloff * along;
    }
  }
  return { background, gain };
}

/** Random values on a grid every `cell` pixels, interpolated bilinearly: smooth blotches in [0, 1]. */
function valueNoise(random: Random, height: number, width: number, cell: number): Float32Array {
  const gh = Math.ceil(height / cell) + 2;
  const gw = Math.ceil(width / cell) + 2;
  const grid = Float32Array.from({ length: gh * gw }, () => random());
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    const fy = y / cell;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = x / cell;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const top = grid[y0 * gw + x0] * (1 - tx) + grid[y0 * gw + x0 + 1] * tx;
      const bottom = grid[(y0 + 1) * gw + x0] * (1 - tx) + grid[(y0 + 1) * gw + x0 + 1] * tx;
      out[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** Separable Gaussian blur cut at 2.5σ (99 % of the weight), edges clamped; both passes walk memory row by row. */
export function gaussianBlur(input: Float32Array, height: number, width: number, sigma: number): Float32Array {
  const radius = Math.ceil(2.5 * sigma);
  const weights = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const kernel = Float32Array.from(weights, (w) => w / total);
  const rows = new Float32Array(input.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (x >= radius && x + radius < width) {
        for (let k = 0, at = row + x - radius; k < kernel.length; k++, at++) sum += kernel[k] * input[at];
      } else {
        for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] * input[row + clamp(x + k, width)];
      }
      rows[row + x] = sum;
    }
  }
  const out = new Float32Array(input.length);
  for (let y = 0; y < height; y++) {
    for (let k = -radius; k <= radius; k++) {
      const weight = kernel[k + radius];
      const from = clamp(y + k, height) * width;
      for (let x = 0; x < width; x++) out[y * width + x] += weight * rows[from + x];
    }
  }
  return out;
}

const clamp = (i: number, length: number): number => (i < 0 ? 0 : i >= length ? length - 1 : i);
