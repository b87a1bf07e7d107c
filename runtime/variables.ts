import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from './errors.js';
import { initTensor } from './init.js';
import type { VariableSpec } from './types.js';

/**
 * One tf.Variable per spec, keyed by spec name. Each starts from initTensor(spec.init, …, seed, name),
 * already clamped to its minValue so the constraint holds from the first step.
 */
export function createVariables(specs: readonly VariableSpec[], seed: number): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  for (const spec of specs) {
    if (spec.name in variables) {
      throw new GnetError('GN9002', `two weights are both named '${spec.name}'; give every weight a unique name`);
    }
    // Unnamed tf variables: tfjs names must be globally unique, and one process may build a model twice.
    variables[spec.name] = tf.tidy(() => tf.variable(clampToMin(initTensor(spec.init, spec.shape, seed, spec.name), spec.minValue), spec.trainable));
  }
  return variables;
}

/** Clamp every variable whose spec has a minValue (gauss σ ≥ 0.2); call after each optimiser update. */
export function applyConstraints(variables: Readonly<Record<string, tf.Variable>>, specs: readonly VariableSpec[]): void {
  for (const spec of specs) {
    if (spec.minValue === undefined) continue;
    const variable = variables[spec.name];
    if (!variable) {
      throw new GnetError('GN9003', `no variable named '${spec.name}'; create the variables with createVariables from the same specs`);
    }
    tf.tidy(() => variable.assign(tf.maximum(variable, spec.minValue!)));
  }
}

function clampToMin(value: tf.Tensor, minValue: number | undefined): tf.Tensor {
  return minValue === undefined ? value : tf.maximum(value, minValue);
}
