import type { ScheduleConfig } from './config.js';

/** Where training stands when a learning rate is asked for. */
export interface SchedulePosition {
  /** Optimiser steps taken so far (k). */
  readonly step: number;
  /** Epochs completed so far. */
  readonly epoch: number;
  /** Steps in the whole run, the default K_max of the cosine rule. */
  readonly totalSteps: number;
}

/**
 * The learning rate for the next step.
 * - constant: lr_0.
 * - step: lr_0 · factor^⌊epoch / every⌋.
 * - cosine, the standard decay (Loshchilov & Hutter without restarts; Keras' CosineDecay):
 *   lr_k = lr_0 (α + (1 − α) · ½ (1 + cos(π min(k, K) / K))), from lr_0 down to α·lr_0 at K, then flat.
 * - cosine_paper, the rule as the Gaussian-layer paper prints it:
 *   lr_k = lr_0 (α + (1 − α)(1 + cos(2π min(k, K) / K))). It starts at (2 − α)·lr_0, falls to α·lr_0
 *   at K / 2 and rises back to (2 − α)·lr_0 at K; kept under its own name to reproduce the paper.
 */
export function learningRateAt(schedule: ScheduleConfig, baseRate: number, at: SchedulePosition): number {
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step':
      return baseRate * schedule.factor ** Math.floor(at.epoch / schedule.every);
    case 'cosine':
    case 'cosine_paper': {
      const horizon = Math.max(1, schedule.steps ?? at.totalSteps);
      const progress = Math.min(at.step, horizon) / horizon;
      const wave = schedule.kind === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 + Math.cos(2 * Math.PI * progress);
      return baseRate * (schedule.alpha + (1 - schedule.alpha) * wave);
    }
  }
}
