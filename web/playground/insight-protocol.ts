/** What the training worker shows besides losses: the data, validation, kernels and sample predictions. */

/** RGBA pixels of one small image, drawn by the page on a canvas. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export interface KernelPicture extends Picture {
  /** The gauss layer's node, e.g. `g1.gauss`. */
  readonly layer: string;
  readonly bases: number;
  readonly perBasis: number;
  readonly size: readonly [number, number];
}

export interface LabelledSample {
  readonly image: Picture;
  readonly predicted: string;
  readonly truth: string;
  /** The predicted class's probability, or null for logits. */
  readonly probability: number | null;
}

export interface MaskSample {
  readonly input: Picture;
  readonly truth: Picture;
  readonly predicted: Picture;
}

export type InsightEvent =
  /** The data a run trains on, once loaded and checked. */
  | { readonly kind: 'data'; readonly summary: string }
  /** Inference over the validation images after an epoch, with the train section's metrics. */
  | { readonly kind: 'validation'; readonly epoch: number; readonly loss: number; readonly metrics: Readonly<Record<string, number>>; readonly images: number }
  /** The gauss layers' kernels as they are now (`step` 0: before training). */
  | { readonly kind: 'kernels'; readonly step: number; readonly layers: readonly KernelPicture[] }
  | { readonly kind: 'predictions'; readonly epoch: number; readonly split: string; readonly samples: readonly LabelledSample[] }
  | { readonly kind: 'masks'; readonly epoch: number; readonly split: string; readonly samples: readonly MaskSample[] };
