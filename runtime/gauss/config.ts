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

/** The separable lowerings only a volume whose kernels are not rotated has (compiler/blocks/gauss-lowering.ts). */
export type GaussLowering3d = GaussLowering | 'basis-first-axes' | 'separated-axes';

/** A volume gauss layer: kernels [kd, kh, kw], and its padding [before, after] per axis, applied before 'valid' convolutions. */
export interface Gauss3dConfig {
  readonly order: number;
  readonly bases: number;
  readonly size: readonly [number, number, number];
  readonly stride: readonly [number, number, number];
  readonly padding: readonly (readonly [number, number])[];
  readonly mix: 'full' | 'separated';
  readonly isotropic: boolean;
  readonly lowering: GaussLowering3d;
}
