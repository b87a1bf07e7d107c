/** The weight contract is the compiler's (type-only: nothing of the compiler is loaded at run time). */
export type { Init, Pair, WeightSpec as VariableSpec } from '../compiler/blocks/block.js';

/** Per-call state for the blocks whose behaviour depends on the training run (dropout, fre). */
export interface ForwardState {
  readonly epoch: number;
  readonly seed: number;
  readonly step: number;
}

/** Spatial padding as stored in the IR: explicit [h, w] pads h rows above and below, w columns left and right. */
export type Padding = 'same' | 'valid' | readonly [number, number];

