import type * as tf from '@tensorflow/tfjs-core';
import type { Padding, Pair } from '../types.js';

/** How the full mix is computed: one k×k conv with combined filters, or B·Nk depthwise responses then a 1×1 mix. */
export type GaussLowering = 'combined' | 'basis-first' | 'separated';

export interface GaussConfig {
  readonly order: number;
  readonly bases: number;
  /** Kernel (height, width); odd sizes. */
  readonly size: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
  readonly mix: 'full' | 'separated';
  readonly isotropic: boolean;
  /** 'separated' needs mix 'separated'; the other two work for both mixes (separated β, λ fold into ω). */
  readonly lowering: GaussLowering;
}

/** sigma [B,Nk,2|1], mu [B,Nk,2], theta [B,Nk,1]; full: omega [B,f_in,f_out/B,Nk]; separated: beta [B,f_in,Nk], lambda [B,Nk,f_out/B]. */
export interface GaussWeights {
  readonly sigma: tf.Tensor;
  readonly mu: tf.Tensor;
  readonly theta: tf.Tensor;
  readonly omega?: tf.Tensor;
  readonly beta?: tf.Tensor;
  readonly lambda?: tf.Tensor;
  readonly bias?: tf.Tensor;
}
