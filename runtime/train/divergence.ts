import * as tf from '@tensorflow/tfjs-core';
import type { Weights } from './model.js';

/**
 * Divergence detection. After every update one scalar is computed over all weights, Σ_w Σ (w · 0):
 * 0 while every value is finite, NaN as soon as one is NaN or ±∞ (NaN·0 and ∞·0 are NaN, and NaN
 * survives a sum on every backend). It is read together with the step's other values, so it adds no
 * wait of its own; only when it is NaN are the weights searched one by one for the first bad one.
 * Every step, not every k: on wasm with specs/reference.gnet (6 442 values, batch 45) the check takes
 * about 2.6 ms beside a 1.25 s step (0.2 %), so there is nothing to save by letting a bad step pass.
 */
export function nonFiniteProbe(weights: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => sumPairwise(weights.map((w) => tf.sum(tf.mul(w, 0)))));
}

/** Two inputs per kernel: one addN over every weight exceeds WebGPU's storage buffers per shader (8 in browsers). */
function sumPairwise(terms: tf.Scalar[]): tf.Scalar {
  let level = terms;
  while (level.length > 1) level = Array.from({ length: Math.ceil(level.length / 2) }, (_, i) => (level[2 * i + 1] ? tf.add(level[2 * i]!, level[2 * i + 1]!) : level[2 * i]!));
  return level[0] ?? tf.scalar(0);
}

/** Why a step was refused: the loss, or the first weight (in the module's order) that is not finite. */
export type NonFinite = { readonly kind: 'loss'; readonly value: number } | { readonly kind: 'weight'; readonly name: string; readonly value: number; readonly count: number; readonly size: number };

/** Thrown by a training step whose loss or updated weights are not finite; the caller saves nothing after it. */
export class Diverged extends Error {
  constructor(
    readonly what: NonFinite,
    /** The workers that saw it, when several trained together. */
    readonly ranks: readonly number[] | null = null,
    /** The step it happened at, when an engine took several in one call. */
    readonly order: { readonly epoch: number; readonly index: number; readonly step: number; readonly lr: number } | null = null,
  ) {
    super(describeNonFinite(what));
  }
}

/** The first weight of `names` holding NaN or ±∞, with how many of its values are (undefined: all finite). */
export async function firstNonFiniteWeight(weights: Weights, names: readonly string[]): Promise<NonFinite | undefined> {
  for (const name of names) {
    const values = await weights[name]!.data();
    let first: number | undefined;
    let count = 0;
    for (const v of values) {
      if (Number.isFinite(v)) continue;
      first ??= v;
      count++;
    }
    if (first !== undefined) return { kind: 'weight', name, value: first, count, size: values.length };
  }
  return undefined;
}

/** "weight e1.gauss/sigma became NaN (all 24 values)"; `verb` 'is' for saved weights. */
export function describeNonFinite(what: NonFinite, verb: 'became' | 'is' = 'became'): string {
  if (what.kind === 'loss') return `the loss ${verb} ${what.value}`;
  const share = what.count === what.size ? 'all' : `${what.count} of`;
  return `weight ${what.name} ${verb} ${what.value} (${share} ${what.size} values)`;
}
