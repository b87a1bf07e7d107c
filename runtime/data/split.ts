import { DATA_ERRORS, dataError } from './codes.js';
import { STREAM, hashSeed, seededRandom, shuffleInPlace, type Random } from './random.js';

export type SubsetStrategy = 'stratified' | 'random';

export interface SplitRequest {
  readonly count: number;
  /** Per-sample class for stratified splits (classification); absent: seeded random splits. */
  readonly classOf?: ArrayLike<number>;
  /** Fraction of all samples held out for validation, before any training subset is drawn. */
  readonly validationSplit?: number;
  /** Number of training samples drawn from what is left (all of it when absent). */
  readonly trainSize?: number;
  readonly seed: number;
}

export interface Split {
  /** Indices in storage order; train and validation never share one. */
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly strategy: SubsetStrategy;
}

export function splitSamples(request: SplitRequest): Split {
  const { count, classOf, validationSplit = 0, seed } = request;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw dataError(DATA_ERRORS.badOption, `validationSplit must be in [0, 1), got ${validationSplit}`);
  }
  const validationCount = Math.round(validationSplit * count);
  const remaining = count - validationCount;
  const trainSize = request.trainSize ?? remaining;
  if (!Number.isInteger(trainSize) || trainSize < 1 || trainSize > remaining) {
    const held = validationCount > 0 ? ` after holding out ${validationCount} for validation` : '';
    throw dataError(DATA_ERRORS.badOption, `trainSize ${trainSize} is not between 1 and the ${remaining} samples available${held}; lower trainSize or validationSplit`);
  }
  const random = seededRandom(hashSeed(STREAM.split, seed));
  const all = Int32Array.from({ length: count }, (_, i) => i);
  const pick = classOf ? (pool: Int32Array, k: number) => pickStratified(pool, k, classOf, random) : (pool: Int32Array, k: number) => pickRandom(pool, k, random);
  const validation = pick(all, validationCount);
  const rest = without(all, validation);
  const train = trainSize === rest.length ? rest : pick(rest, trainSize);
  return { train, validation, strategy: classOf ? 'stratified' : 'random' };
}

function pickRandom(pool: Int32Array, k: number, random: Random): Int32Array {
  return sorted(shuffleInPlace(pool.slice(), random).subarray(0, k));
}

/** Each class gets its share of k (largest remainders settle the rounding), drawn at random within the class. */
function pickStratified(pool: Int32Array, k: number, classOf: ArrayLike<number>, random: Random): Int32Array {
  const byClass = new Map<number, number[]>();
  for (const i of pool) {
    const members = byClass.get(classOf[i]) ?? [];
    members.push(i);
    byClass.set(classOf[i], members);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const quotas = proportionalQuotas(classes.map((c) => byClass.get(c)!.length), k);
  const picked = classes.flatMap((c, j) => Array.from(shuffleInPlace(Int32Array.from(byClass.get(c)!), random).subarray(0, quotas[j])));
  return sorted(Int32Array.from(picked));
}

/** Hamilton apportionment: floor of each exact share, then +1 for the largest fractional parts. */
export function proportionalQuotas(sizes: readonly number[], k: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * k) / total);
  const quotas = exact.map(Math.floor);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const shortfall = k - quotas.reduce((a, b) => a + b, 0);
  for (let j = 0; j < shortfall; j++) quotas[byRemainder[j].i]++;
  return quotas;
}

function without(all: Int32Array, removed: Int32Array): Int32Array {
  const gone = new Set(removed);
  return all.filter((i) => !gone.has(i));
}

const sorted = (a: Int32Array): Int32Array => a.slice().sort();
