import { createHash } from 'node:crypto';
import type { Gauss3dConfig, GaussConfig } from '../gauss/config.js';
import type { GeneratedMeta, GeneratedModule, GeneratedTensor } from '../generated-module.js';

export type { GeneratedMeta as ModelMeta, GeneratedModule as GeneratedModel, GeneratedWeights as Weights } from '../generated-module.js';

/** How an output's values should be read: probabilities after softmax or sigmoid, or raw logits. */
export type Activation = 'softmax' | 'sigmoid' | 'none';

export interface OutputInfo extends GeneratedTensor {
  readonly activation: Activation;
}

/** A gauss layer: where its weights live (`${prefix}/sigma`, …) and its configuration. */
export interface GaussLayerInfo {
  readonly node: string;
  readonly weightPrefix: string;
  readonly config: GaussConfig | Gauss3dConfig;
  readonly bias: boolean;
}

/** What the spec's IR tells the trainer beyond the module (gathered by the CLI, which may read the IR). */
export interface ModelInfo {
  readonly outputs: readonly OutputInfo[];
  readonly gaussLayers: readonly GaussLayerInfo[];
}

/** A model ready to train: the module plus the IR facts. */
export interface TrainableModel {
  readonly module: GeneratedModule;
  readonly info: ModelInfo;
}

/** Whether the network takes a volume (D×H×W×C per example): it then needs a backend with 3-D ops. */
export function takesVolumes(meta: Pick<GeneratedMeta, 'inputs'>): boolean {
  return meta.inputs.some((input) => input.shape.length === 4);
}

/**
 * Fingerprint of what a checkpoint's numbers mean: network name, inputs, outputs and every weight's
 * name, shape and trainability. Editing comments or training settings keeps it; changing a layer does not.
 */
export function architectureHash(meta: GeneratedMeta): string {
  const shape = {
    network: meta.network,
    inputs: meta.inputs.map((i) => [i.name, i.shape]),
    outputs: meta.outputs.map((o) => [o.name, o.shape]),
    weights: meta.weights.map((w) => [w.name, w.shape, w.trainable]),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

