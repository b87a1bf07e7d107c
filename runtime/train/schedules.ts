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
 * - cosine, as the paper writes it: lr_k = lr_0 (α + (1 − α)(1 + cos(2π min(k, K_max) / K_max))).
 *   Note that this rule starts at (2 − α)·lr_0, falls to α·lr_0 at K_max / 2 and rises back.
 */
export function learningRateAt(schedule: ScheduleConfig, baseRate: number, at: SchedulePosition): number {
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step':
      return baseRate * schedule.factor ** Math.floor(at.epoch / schedule.every);
    case 'cosine': {
      const horizon = Math.max(1, schedule.steps ?? at.totalSteps);
      const k = Math.min(at.step, horizon);
      return baseRate * (schedule.alpha + (1 - schedule.alpha) * (1 + Math.cos((2 * Math.PI * k) / horizon)));
    }
  }
}
