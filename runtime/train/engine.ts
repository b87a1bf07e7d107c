/**
 * What an engine does for the training driver (driver.ts), and nothing more: take one optimiser
 * step on a given batch at a given learning rate, evaluate a split, and hand its state over or take
 * one in. TensorFlow.js in Node, the torch workers and the page's worker implement it; the driver
 * alone decides epochs, the schedule, validation, early stopping, divergence, checkpoints and logs.
 * Everything crossing this line is plain numbers, so no engine's tensors leak into the policy.
 */
export interface TrainingEngine {
  /** What the engine runs on, as the report names it ("torch 1.13 on cpu, 2 workers × 1 thread"). */
  readonly device: string;
  /** Weights drawn from the run's seed (`from` null), or the given state (resume, continue). */
  start(from: EngineState | null): Promise<void>;
  /**
   * Updates on the given batches, in order (batch `index` of epoch `epoch`'s order, each at its rate).
   * Throws Diverged (divergence.ts, naming the step when there were several) when a loss or a weight is
   * not finite; nothing of that step or after it is applied.
   */
  steps(orders: readonly StepOrder[]): Promise<StepOutcome[]>;
  /** How many steps the driver should ask for at once (a GPU engine reads its results once per call). */
  readonly stepsPerCall?: number;
  /** Inference mode over a split in storage order. */
  evaluate(split: EvaluatedSplit): Promise<SplitOutcome>;
  /** Weights and optimiser state, in gnet's layouts (what a checkpoint holds). */
  state(): Promise<EngineState>;
  /** Frees what the engine holds (tensors, worker processes); the engine is unusable afterwards. */
  close(): Promise<void>;
}

export type EvaluatedSplit = 'validation' | 'test' | 'train';

/** The global batch to train on: the epoch's order and the batch's place in it; the rate the schedule set. */
export interface StepOrder {
  readonly epoch: number;
  /** 0-based batch of the epoch. */
  readonly index: number;
  /** Optimiser steps taken before this one. */
  readonly step: number;
  readonly lr: number;
}

/** Sums, so partial epochs and several workers add up exactly. */
export interface StepOutcome {
  /** Mean loss of the batch × its images. */
  readonly lossSum: number;
  readonly images: number;
  /** Confusion counts of the primary output, row = truth, column = prediction, classes × classes. */
  readonly counts: readonly number[];
}

export interface SplitOutcome {
  readonly lossSum: number;
  readonly images: number;
  readonly counts: readonly number[];
  readonly seconds: number;
}

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

/** A checkpoint's numbers: every weight (META order) and the optimiser's slots (iterations first, tfjs' order). */
export interface EngineState {
  readonly weights: readonly NamedArray[];
  readonly slots: readonly NamedArray[];
  readonly learningRate: number;
}
