/** Messages between the page and the training worker. */
import type { EpochRecord } from '../../runtime/train/log.js';
import type { DataChoice } from './data/data-choice.js';
import type { InsightEvent } from './insight-protocol.js';

/** The editable settings, already checked by the page. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** Synthetic-cells images to train on. */
  readonly samples: number;
}

/**
 * 'auto': WebGPU on a hardware adapter, wasm where there is none or it is a software one (SwiftShader,
 * lavapipe: far slower than wasm); 'webgpu' uses any WebGPU adapter; 'wasm' skips WebGPU.
 */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

export type TrainRequest =
  | {
      readonly kind: 'start';
      readonly path: string;
      readonly text: string;
      readonly network: string;
      readonly settings: TrainSettings;
      /** What to train on; the built-in cells when absent. */
      readonly data?: DataChoice;
      readonly backend?: BackendChoice;
      /** Train on from the current (trained or loaded) weights when they fit the network. */
      readonly fromCurrent?: boolean;
    }
  /** Pause after the current step. */
  | { readonly kind: 'stop' }
  | { readonly kind: 'continue' }
  /** End the run after the current step (or now, when stopped); its model stays the current one. */
  | { readonly kind: 'abort' }
  /** Test hook: destroys the WebGPU device, as a driver reset would. */
  | { readonly kind: 'lose-device' }
  | ModelRequest;

/** A model as the page keeps it between workers: what `load` takes and `snapshot` gives. */
export interface ModelCopy {
  readonly path: string;
  readonly text: string;
  readonly network: string;
  readonly modelJson: string;
  readonly weights: Uint8Array;
  /** log.jsonl: one EpochRecord per line (empty for a model never trained in the page). */
  readonly log?: string;
}

/** The current model: download it, load a download's weights back, predict images with it. */
export type ModelRequest =
  | { readonly kind: 'download' }
  | ({ readonly kind: 'load'; readonly backend?: BackendChoice; readonly quiet?: boolean } & ModelCopy)
  /** Images as float32 HWC in [0, 1], each of the network input's size. */
  | { readonly kind: 'predict'; readonly id: number; readonly images: readonly Float32Array[] }
  /** Kernels and sample predictions of the current model (predictions on `data`, when given and it fits). */
  | { readonly kind: 'preview'; readonly data?: DataChoice; readonly samples: number }
  /** Forget the current model: the next run starts from fresh weights. */
  | { readonly kind: 'reset' };

/** One output of one image: NHWC values at batch 1. */
export interface PageOutput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type ModelEvent =
  | { readonly kind: 'download'; readonly name: string; readonly zip: Uint8Array }
  | { readonly kind: 'loaded'; readonly network: string; readonly params: number; readonly backend: string; readonly device: string; readonly epochs: number; readonly quiet?: boolean }
  | { readonly kind: 'model-predictions'; readonly id: number; readonly outputs: readonly PageOutput[] }
  /** The current model after a run ended or a load, for the page to put back if a later run fails. */
  | ({ readonly kind: 'snapshot' } & ModelCopy)
  | { readonly kind: 'reset' }
  /** A download, load or prediction that failed, in words; training is not affected. */
  | { readonly kind: 'model-error'; readonly message: string; readonly id?: number };

export type TrainEvent =
  | {
      readonly kind: 'backend';
      readonly backend: 'webgpu' | 'wasm';
      readonly adapter: string;
      /** Why not WebGPU, when wasm runs without being chosen. */
      readonly why?: string;
      /** The software WebGPU adapter that 'auto' passed over for wasm. */
      readonly software?: string;
    }
  | { readonly kind: 'started'; readonly network: string; readonly stepsPerEpoch: number; readonly epochs: number; readonly params: number; readonly batch: number; readonly images: number }
  | { readonly kind: 'step'; readonly step: number; readonly epoch: number; readonly loss: number; readonly images: number; readonly metric?: { readonly name: string; readonly value: number } }
  | { readonly kind: 'epoch'; readonly epoch: number; readonly loss: number; readonly metrics: Readonly<Record<string, number>> }
  | { readonly kind: 'paused' }
  /** The run ended: after its last epoch, or after an abort (its model is kept either way). */
  | { readonly kind: 'done'; readonly aborted?: boolean }
  /** A readable message, with the setting it is about when one caused it. */
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly field?: keyof TrainSettings;
      /** The part of the page it concerns when not a field: the data picker or the backend. */
      readonly place?: 'data' | 'backend';
      /** Training on wasm instead would get around it. */
      readonly offerWasm?: boolean;
      /** The worker's backend is unusable: the page ends it and starts a new one for the next run. */
      readonly freshWorker?: boolean;
    }
  | InsightEvent
  | ModelEvent;

export type { EpochRecord };
