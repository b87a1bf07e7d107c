/** Seeded randomness: every random choice in data loading derives from (seed, purpose, index, ...). */

export type Random = () => number;

/** Mixes integers into one 32-bit seed (murmur3 finaliser per part), so nearby inputs give unrelated streams. */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + Math.floor(part / 0x100000000)) | 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for shuffles and image synthesis. Returns values in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const uniform = (random: Random, low: number, high: number): number => low + (high - low) * random();

/** Integer in [low, high] inclusive. */
export const randomInt = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));

/** Standard normal sample (Box–Muller). */
export function normal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, random: Random): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/** Named purposes keep streams for different uses apart even under the same user seed. */
export const STREAM = { split: 1, order: 2, augment: 3, cells: 4, volumes: 5, patches: 6 } as const;
