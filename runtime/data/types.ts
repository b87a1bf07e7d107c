/** Contracts between data sources and the trainer: plain typed arrays, NHWC, no tensors. */

export type Task = 'classification' | 'segmentation';

/** [height, width, channels] of one image. */
export type ImageShape = readonly [number, number, number];

/** [depth, height, width, channels] of one volume (or of the network's patch). */
export type VolumeShape = readonly [number, number, number, number];

/** The network input of one example: an image or a volume patch. */
export type InputShape = ImageShape | VolumeShape;

export interface Batch {
  /** Pixels in [0, 1] (NHWC), or standardised voxels (NDHWC). */
  readonly x: Float32Array;
  readonly xShape: readonly number[];
  /** Class indices: one per image (classification) or one per pixel or voxel (segmentation). */
  readonly y: Int32Array;
  readonly yShape: readonly number[];
}

export interface AugmentOptions {
  /** Mirror left–right with probability ½. */
  readonly flipHorizontal?: boolean;
  /** Mirror top–bottom with probability ½. */
  readonly flipVertical?: boolean;
  /** Rotate by a random multiple of 90° (square inputs only). */
  readonly rotate90?: boolean;
  /** Place the network window at a random position instead of the centre (random crop / shift). */
  readonly randomCrop?: boolean;
}

export interface BatchOptions {
  readonly shuffle?: boolean;
  readonly seed?: number;
  /** With `seed`, fixes the order and the augmentation draws: same (seed, epoch) → same batches. */
  readonly epoch?: number;
  /** `true` picks the task's defaults (see `defaultAugment`). */
  readonly augment?: boolean | AugmentOptions;
  /** Leave out a last batch smaller than `batchSize`. */
  readonly dropRemainder?: boolean;
}

export interface Dataset {
  readonly size: number;
  /** Shape of the images or patches in the batches (the network input). */
  readonly inputShape: InputShape;
  readonly task: Task;
  batches(batchSize: number, options?: BatchOptions): IterableIterator<Batch>;
}

/**
 * Decoded samples of one split, kept as bytes (Fashion-MNIST's 60 000 images stay 47 MB) and
 * scaled to [0, 1] only when a batch is assembled.
 */
export interface SampleStore {
  readonly count: number;
  readonly imageShape: ImageShape;
  /** count × H × W × C bytes, 0..255. */
  readonly pixels: Uint8Array;
  /** classification: count class indices; segmentation: count × H × W class indices. */
  readonly labels: Uint8Array | Int32Array;
  readonly task: Task;
}
