import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types.js';

/**
 * AdaDelta as Zeiler (2012) and Keras define it. tfjs-core's AdadeltaOptimizer divides by the
 * accumulated squared gradient from *before* the current one (so its first step moves every weight
 * by lr·g); here E[g²] is updated first:
 *   E[g²] ← ρ E[g²] + (1 − ρ) g²
 *   Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *   E[Δ²] ← ρ E[Δ²] + (1 − ρ) Δ²
 *   w ← w − lr · Δ
 * Slots are saved like tfjs': iterations, then every E[g²], then every E[Δ²].
 */
export class AdadeltaOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'Adadelta';
  }

  private squaredGradients: tf.Variable[] = [];
  private squaredUpdates: tf.Variable[] = [];

  constructor(
    public learningRate: number,
    private readonly rho: number,
    private readonly epsilon: number,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const gradients = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    gradients.forEach(({ name, tensor: gradient }, i) => {
      const value = tf.engine().registeredVariables[name]!;
      this.squaredGradients[i] ??= tf.tidy(() => tf.zerosLike(value).variable(false));
      this.squaredUpdates[i] ??= tf.tidy(() => tf.zerosLike(value).variable(false));
      const squaredGradient = this.squaredGradients[i]!;
      const squaredUpdate = this.squaredUpdates[i]!;
      tf.tidy(() => {
        const newSquaredGradient = tf.add(tf.mul(squaredGradient, this.rho), tf.mul(tf.square(gradient), 1 - this.rho));
        const update = tf.mul(tf.div(tf.sqrt(tf.add(squaredUpdate, this.epsilon)), tf.sqrt(tf.add(newSquaredGradient, this.epsilon))), gradient);
        squaredGradient.assign(newSquaredGradient);
        squaredUpdate.assign(tf.add(tf.mul(squaredUpdate, this.rho), tf.mul(tf.square(update), 1 - this.rho)));
        value.assign(tf.sub(value, tf.mul(update, this.learningRate)));
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.squaredGradients.map((v) => ({ name: `${v.name}/accum_grad`, tensor: v })), ...this.squaredUpdates.map((v) => ({ name: `${v.name}/accum_var`, tensor: v }))];
    return [await this.saveIterations(), ...slots];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    const half = slots.length / 2;
    tf.dispose([...this.squaredGradients, ...this.squaredUpdates]);
    this.squaredGradients = slots.slice(0, half).map((s) => s.tensor.variable(false));
    this.squaredUpdates = slots.slice(half).map((s) => s.tensor.variable(false));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  override dispose(): void {
    tf.dispose([...this.squaredGradients, ...this.squaredUpdates]);
  }
}
