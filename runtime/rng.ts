/**
 * Seeded, platform-independent random numbers. A stream depends only on (seed, key), so a
 * variable's initial value does not change when other variables are added or reordered.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** 32-bit hash of (seed, key): murmur-style mixing of each UTF-16 unit, then a finaliser. */
export function hashKey(seed: number, key: string): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ Math.trunc(seed / 2 ** 32), 0x85ebca6b);
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32 stream seeded from hashKey(seed, key). */
export function createRng(seed: number, key: string): Rng {
  let state = hashKey(seed, key);
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    return radius * Math.cos(2 * Math.PI * uniform());
  };
  const int = (n: number): number => Math.floor(uniform() * n);
  return { uniform, normal, int };
}
