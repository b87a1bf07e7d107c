/**
 * Types the runtime shares with the compiler's block contract. They mirror
 * compiler/blocks/block.ts (Init, WeightSpec) so the runtime stays standalone.
 */

export type Init =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'normal'; readonly std: number; readonly mean?: number }
  /** Keras glorot_uniform with fans from a [kh, kw, in, out] / [in, out] shape. */
  | { readonly kind: 'glorotUniform' }
  /** Keras he_normal: truncated normal, std √(2 / fanIn). */
  | { readonly kind: 'heNormal' };

/** One weight tensor a block owns (same shape as the compiler's WeightSpec). */
export interface VariableSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly init: Init;
  /** Clamp to at least this value after every optimiser update (gauss σ ≥ 0.2). */
  readonly minValue?: number;
}

/** Per-call state for the blocks whose behaviour depends on the training run (dropout, fre). */
export interface ForwardState {
  readonly epoch: number;
  readonly seed: number;
  readonly step: number;
}

/** Spatial padding as stored in the IR: explicit [h, w] pads h rows above and below, w columns left and right. */
export type Padding = 'same' | 'valid' | readonly [number, number];

export type Pair = readonly [number, number];
