/** Messages between the page and the training worker. */
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

export type TrainRequest =
  | {
      readonly kind: 'start';
      readonly path: string;
      readonly text: string;
      readonly network: string;
      readonly settings: TrainSettings;
      /** What to train on; the built-in cells when absent. */
      readonly data?: DataChoice;
      /** 'wasm' skips WebGPU (the page's ?backend=wasm, or after a lost GPU). */
      readonly backend?: 'webgpu' | 'wasm';
      /** Train on from the current (trained or loaded) weights when they fit the network. */
      readonly fromCurrent?: boolean;
    }
  | { readonly kind: 'stop' }
  | { readonly kind: 'continue' }
  /** Test hook: destroys the WebGPU device, as a driver reset would. */
  | { readonly kind: 'lose-device' }
  | ModelRequest;

/** The current model: download it, load a download's weights back, predict images with it. */
export type ModelRequest =
  | { readonly kind: 'download' }
  | { readonly kind: 'load'; readonly path: string; readonly text: string; readonly network: string; readonly modelJson: string; readonly weights: Uint8Array; readonly backend?: 'webgpu' | 'wasm' }
  /** Images as float32 HWC in [0, 1], each of the network input's size. */
  | { readonly kind: 'predict'; readonly id: number; readonly images: readonly Float32Array[] };

/** One output of one image: NHWC values at batch 1. */
export interface PageOutput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type ModelEvent =
  | { readonly kind: 'download'; readonly name: string; readonly zip: Uint8Array }
  | { readonly kind: 'loaded'; readonly network: string; readonly params: number }
  | { readonly kind: 'model-predictions'; readonly id: number; readonly outputs: readonly PageOutput[] }
  /** A download, load or prediction that failed, in words; training is not affected. */
  | { readonly kind: 'model-error'; readonly message: string; readonly id?: number };

export type TrainEvent =
  | { readonly kind: 'backend'; readonly backend: 'webgpu' | 'wasm'; readonly adapter: string; readonly why?: string }
  | { readonly kind: 'started'; readonly network: string; readonly stepsPerEpoch: number; readonly epochs: number; readonly params: number }
  | { readonly kind: 'step'; readonly step: number; readonly epoch: number; readonly loss: number; readonly metric?: { readonly name: string; readonly value: number } }
  | { readonly kind: 'epoch'; readonly epoch: number; readonly loss: number; readonly metrics: Readonly<Record<string, number>> }
  | { readonly kind: 'paused' }
  | { readonly kind: 'done' }
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
