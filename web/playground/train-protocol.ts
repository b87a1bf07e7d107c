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
    }
  | { readonly kind: 'stop' }
  | { readonly kind: 'continue' }
  /** Test hook: destroys the WebGPU device, as a driver reset would. */
  | { readonly kind: 'lose-device' };

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
  | InsightEvent;
