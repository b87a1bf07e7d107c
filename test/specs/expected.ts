import type { Shape } from '../../compiler/ir/ir.js';

/** What one network of the zoo must report. */
export interface Expected {
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Shapes of named values (or outputs) that the model's definition fixes. */
  readonly shapes?: Readonly<Record<string, Shape>>;
}

/** file (relative to specs/) → network name → expectation. */
export type Expectations = Readonly<Record<string, Readonly<Record<string, Expected>>>>;
