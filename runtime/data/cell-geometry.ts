import { type Random, uniform } from './random.js';

/** One nucleus: an ellipse with a slightly wavy outline (2nd and 3rd angular harmonics). */
export interface Nucleus {
  readonly cy: number;
  readonly cx: number;
  /** Semi-axes in pixels along and across `angle`. */
  readonly a: number;
  readonly b: number;
  readonly angle: number;
  /** Outline radius factor 1 + w0·cos 2φ + w1·sin 2φ + w2·cos 3φ + w3·sin 3φ. */
  readonly wobble: readonly [number, number, number, number];
  /** Relative stain intensity; some nuclei are dim, close to the background. */
  readonly brightness: number;
}

const MIN_RADIUS = 4.5;
const MAX_RADIUS = 10;
/** Share of new nuclei placed against an existing one, so that clusters of touching nuclei form. */
const CLUSTER_PROBABILITY = 0.55;

function randomNucleus(random: Random, cy: number, cx: number, radius: number): Nucleus {
  const elongation = uniform(random, 0.6, 1);
  return {
    cy,
    cx,
    a: radius / Math.sqrt(elongation),
    b: radius * Math.sqrt(elongation),
    angle: uniform(random, 0, Math.PI),
    wobble: [...harmonic(uniform(random, 0, 0.08), uniform(random, 0, 2 * Math.PI)), ...harmonic(uniform(random, 0, 0.06), uniform(random, 0, 2 * Math.PI))],
    brightness: random() < 0.15 ? uniform(random, 0.18, 0.35) : uniform(random, 0.4, 1),
  };
}

/** amplitude · cos(kφ + phase) as cos/sin coefficients. */
const harmonic = (amplitude: number, phase: number): [number, number] => [amplitude * Math.cos(phase), -amplitude * Math.sin(phase)];

/** Largest outline factor the wobble allows (1 + 0.08 + 0.06): no pixel farther out can be inside. */
const MAX_WOBBLE = 1.14;

/**
 * Outline distance of a point: < 1 inside the nucleus, 1 on its edge. The harmonics use
 * cos/sin of 2φ and 3φ from the point's own coordinates, so no trigonometry runs per pixel.
 */
export function outlineDistance(n: Nucleus, y: number, x: number): number {
  const dy = y - n.cy;
  const dx = x - n.cx;
  const cos = Math.cos(n.angle);
  const sin = Math.sin(n.angle);
  return wobbledRadius(n, (dx * cos + dy * sin) / n.a, (dy * cos - dx * sin) / n.b);
}

function wobbledRadius(n: Nucleus, u: number, v: number): number {
  const rho = Math.sqrt(u * u + v * v);
  if (rho === 0) return 0;
  const c1 = u / rho;
  const s1 = v / rho;
  const c2 = c1 * c1 - s1 * s1;
  const s2 = 2 * c1 * s1;
  const c3 = c1 * c2 - s1 * s2;
  const s3 = s1 * c2 + c1 * s2;
  const [w0, w1, w2, w3] = n.wobble;
  return rho / (1 + w0 * c2 + w1 * s2 + w2 * c3 + w3 * s3);
}

/**
 * Scatters nuclei until a random share of the field (15–40 %) is covered. Many are placed
 * against an earlier nucleus at a bit less than the sum of their radii, so they touch or overlap.
 */
export function placeNuclei(random: Random, height: number, width: number): Nucleus[] {
  const nuclei: Nucleus[] = [];
  const targetArea = uniform(random, 0.15, 0.4) * height * width;
  let area = 0;
  for (let attempt = 0; attempt < 400 && area < targetArea; attempt++) {
    const radius = uniform(random, MIN_RADIUS, MAX_RADIUS);
    const [cy, cx] = nuclei.length > 0 && random() < CLUSTER_PROBABILITY ? besideNucleus(random, nuclei, radius) : anywhere(random, height, width, radius);
    if (nuclei.some((n) => outlineDistance(n, cy, cx) < 0.9)) continue;
    const nucleus = randomNucleus(random, cy, cx, radius);
    nuclei.push(nucleus);
    area += Math.PI * nucleus.a * nucleus.b;
  }
  return nuclei;
}

function besideNucleus(random: Random, nuclei: readonly Nucleus[], radius: number): [number, number] {
  const host = nuclei[Math.floor(random() * nuclei.length)];
  const direction = uniform(random, 0, 2 * Math.PI);
  const distance = (Math.sqrt(host.a * host.b) + radius) * uniform(random, 0.75, 0.98);
  return [host.cy + distance * Math.sin(direction), host.cx + distance * Math.cos(direction)];
}

/** Centres may lie a little outside the field, so nuclei are cut by the image border as in real crops. */
function anywhere(random: Random, height: number, width: number, radius: number): [number, number] {
  return [uniform(random, -radius / 2, height + radius / 2), uniform(random, -radius / 2, width + radius / 2)];
}

export interface Rasterised {
  /** 0 = background, k = nucleus k (1-based, index into the nuclei list + 1). */
  readonly instances: Uint16Array;
  /** Outline distance to the owning nucleus (meaningful where instances > 0). */
  readonly distance: Float32Array;
}

/** Each pixel (sampled at its centre) belongs to the nucleus it lies deepest in, so overlaps split cleanly. */
export function rasterise(nuclei: readonly Nucleus[], height: number, width: number): Rasterised {
  const instances = new Uint16Array(height * width);
  const distance = new Float32Array(height * width).fill(Infinity);
  nuclei.forEach((n, k) => {
    const reach = Math.max(n.a, n.b) * MAX_WOBBLE;
    const cos = Math.cos(n.angle);
    const sin = Math.sin(n.angle);
    const y0 = Math.max(0, Math.floor(n.cy - reach));
    const y1 = Math.min(height - 1, Math.ceil(n.cy + reach));
    const x0 = Math.max(0, Math.floor(n.cx - reach));
    const x1 = Math.min(width - 1, Math.ceil(n.cx + reach));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const dy = y + 0.5 - n.cy;
        const dx = x + 0.5 - n.cx;
        const u = (dx * cos + dy * sin) / n.a;
        const v = (dy * cos - dx * sin) / n.b;
        if (u * u + v * v >= MAX_WOBBLE * MAX_WOBBLE) continue;
        const d = wobbledRadius(n, u, v);
        const i = y * width + x;
        if (d < 1 && d < distance[i]) {
          distance[i] = d;
          instances[i] = k + 1;
        }
      }
    }
  });
  return { instances, distance };
}

/**
 * Class mask from instances. Three classes: a nucleus pixel is boundary (2) when one of its
 * 8 neighbours inside the image belongs to another nucleus or to the background, which gives a
 * 1 px rim against background and 2 px (one per side) between touching nuclei.
 */
export function classMask(instances: Uint16Array, height: number, width: number, classes: 2 | 3): Uint8Array {
  const mask = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = instances[y * width + x];
      if (id === 0) continue;
      mask[y * width + x] = classes === 3 && touchesOther(instances, height, width, y, x, id) ? 2 : 1;
    }
  }
  return mask;
}

function touchesOther(instances: Uint16Array, height: number, width: number, y: number, x: number, id: number): boolean {
  for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
    for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
      if (instances[ny * width + nx] !== id) return true;
    }
  }
  return false;
}
