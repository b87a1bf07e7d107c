import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types.js';
import { AdadeltaOptimizer } from './adadelta.js';
import type { OptimizerConfig, TrainConfig } from './config.js';

/**
 * TensorFlow.js' optimisers (AdaDelta: adadelta.ts, which follows Zeiler) behind one small interface
 * that adds what they lack: a learning rate the schedule can change, L2 weight decay and gradient
 * clipping. Gradients are keyed by weight name.
 */
export interface TrainOptimizer {
  readonly learningRate: number;
  setLearningRate(rate: number): void;
  /** Decay, clip, then one update of `variables` (the trainable weights, in a fixed order). */
  apply(gradients: Readonly<Record<string, tf.Tensor>>, variables: readonly NamedVariable[]): void;
  /** The optimiser's slots (iteration count first) named `${weight}/${slot}`; the caller disposes them. */
  saveState(variables: readonly NamedVariable[]): Promise<NamedTensor[]>;
  /** Restores what saveState returned (same weights, same order); takes ownership of the tensors. */
  loadState(state: readonly NamedTensor[], variables: readonly NamedVariable[]): Promise<void>;
  dispose(): void;
}

export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
  /** Whether weight decay applies (kernels and mixing weights, not biases, batchnorm or gauss σ, μ, θ). */
  readonly decays: boolean;
}

type Regularisation = Pick<TrainConfig, 'weightDecay' | 'clipNorm' | 'clipValue'>;

export function createOptimizer(config: OptimizerConfig, regularisation: Regularisation): TrainOptimizer {
  const optimizer = tfOptimizer(config);
  let learningRate = config.lr;
  return {
    get learningRate() {
      return learningRate;
    },
    setLearningRate(rate) {
      if (rate === learningRate) return;
      learningRate = rate;
      // SGD and momentum keep −lr in a tensor; the others read the plain field at every step.
      // (Not `instanceof`: tfjs optimisers answer it by duck typing, so every one is an SGDOptimizer.)
      if (config.name === 'sgd') (optimizer as tf.SGDOptimizer).setLearningRate(rate);
      else (optimizer as unknown as { learningRate: number }).learningRate = rate;
    },
    apply(gradients, variables) {
      const tensors = tf.tidy(() => regularise(gradients, variables, regularisation));
      // Named by the tf variable: tfjs optimisers look variables up by that name.
      optimizer.applyGradients(tensors.map((tensor, i) => ({ name: variables[i]!.variable.name, tensor })));
      tf.dispose(tensors);
    },
    async saveState(variables) {
      const [iterations, ...slots] = await optimizer.getWeights();
      // tfjs keys slots by position; names only make the checkpoint readable.
      return [{ name: 'iterations', tensor: iterations!.tensor }, ...slots.map((slot, i) => ({ name: slotName(slot.name, i, variables), tensor: tf.clone(slot.tensor) }))];
    },
    async loadState(state, variables) {
      const renamed = state.map((s, i) => (i === 0 ? s : { name: `${variables[(i - 1) % Math.max(1, variables.length)]!.variable.name}/${s.name.split('/').pop()}`, tensor: s.tensor }));
      await optimizer.setWeights(renamed);
      tf.dispose(state.map((s) => s.tensor));
    },
    dispose: () => optimizer.dispose(),
  };
}

function tfOptimizer(config: OptimizerConfig): tf.Optimizer {
  switch (config.name) {
    case 'sgd':
      return config.momentum > 0 ? tf.train.momentum(config.lr, config.momentum, config.nesterov) : tf.train.sgd(config.lr);
    case 'rmsprop':
      return tf.train.rmsprop(config.lr, config.rho, config.momentum, config.epsilon, config.centered);
    case 'adam':
      return tf.train.adam(config.lr, config.beta1, config.beta2, config.epsilon);
    case 'adagrad':
      return tf.train.adagrad(config.lr, config.initial_accumulator);
    case 'adadelta':
      return new AdadeltaOptimizer(config.lr, config.rho, config.epsilon);
  }
}

/** g + decay·w, then clipping by value, then by global norm: new tensors, in `variables` order. */
function regularise(gradients: Readonly<Record<string, tf.Tensor>>, variables: readonly NamedVariable[], r: Regularisation): tf.Tensor[] {
  let tensors = variables.map(({ name, variable, decays }) => {
    const g = gradients[name]!;
    return r.weightDecay > 0 && decays ? tf.add(g, tf.mul(variable, r.weightDecay)) : g;
  });
  if (r.clipValue !== null) tensors = tensors.map((g) => tf.clipByValue(g, -r.clipValue!, r.clipValue!));
  if (r.clipNorm !== null) tensors = clipByGlobalNorm(tensors, r.clipNorm);
  return tensors.map((tensor) => tf.clone(tensor));
}

/** Scales every gradient by min(1, limit / ‖g‖), ‖g‖ the norm of all of them together. */
export function clipByGlobalNorm(gradients: readonly tf.Tensor[], limit: number): tf.Tensor[] {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(limit, tf.maximum(norm, limit));
    return gradients.map((g) => tf.mul(g, scale));
  });
}

/** `${variableName}/m` → `${weightName}/m`: slots come in groups of one per variable, in variable order. */
function slotName(name: string, index: number, variables: readonly NamedVariable[]): string {
  const weight = variables[index % Math.max(1, variables.length)]!.name;
  return `${weight}/${name.split('/').pop()}`;
}
