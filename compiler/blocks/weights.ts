/** WeightSpec builders with the Keras default initialisers. */
import type { WeightSpec } from './block.js';

export function kernelWeight(shape: readonly number[], name = 'kernel'): WeightSpec {
  return { name, shape, trainable: true, init: { kind: 'glorotUniform' } };
}

export function biasWeight(size: number, name = 'bias'): WeightSpec {
  return { name, shape: [size], trainable: true, init: { kind: 'zeros' } };
}

/** The kernel plus, when enabled, a bias of `outChannels`. */
export function kernelAndBias(shape: readonly number[], outChannels: number, hasBias: boolean): WeightSpec[] {
  return hasBias ? [kernelWeight(shape), biasWeight(outChannels)] : [kernelWeight(shape)];
}
