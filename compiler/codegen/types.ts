/** The module's exported types: tensors and variables typed by rank, so the emitted calls type-check. */
import type { WriterFunction } from 'ts-morph';
import type { IRGraph, Shape } from '../ir/ir.js';
import { propertyName } from './identifiers.js';
import { docComment } from './literal.js';
import { weightName, type NodePlan } from './plan.js';

/** tfjs names ranks 1 to 6; a per-example shape gains the batch axis. */
export function batchTensorType(shape: Shape): string {
  const rank = shape.length + 1;
  return rank <= 6 ? `tf.Tensor${rank}D` : 'tf.Tensor';
}

function variableType(shape: readonly number[]): string {
  return shape.length >= 1 && shape.length <= 6 ? `tf.Variable<tf.Rank.R${shape.length}>` : 'tf.Variable';
}

type Members = readonly (readonly [string, string])[];

/**
 * `export type Name = { readonly member: type; … }` (a type alias, not an interface, so it is assignable to
 * Record<string, …>); `Record<string, never>` when empty. A statement-level writer: ts-morph re-indents
 * multi-line types written through structures.
 */
export function typeStatement(name: string, description: string, members: Members): WriterFunction {
  return (writer) => {
    writer.blankLineIfLastNot().write(docComment(description)).write(`export type ${name} = `);
    if (members.length === 0) writer.write('Record<string, never>');
    else writer.inlineBlock(() => members.forEach(([member, type]) => writer.writeLine(`readonly ${propertyName(member)}: ${type};`)));
    writer.write(';');
  };
}

export function weightMembers(plans: readonly NodePlan[]): Members {
  const owned = plans.filter((plan) => plan.ownsWeights);
  return owned.flatMap((plan) => plan.weights.map((spec) => [weightName(plan.node, spec), variableType(spec.shape)] as const));
}

export function inputMembers(graph: IRGraph): Members {
  return graph.inputs.map((input) => [input.name, batchTensorType(input.shape)] as const);
}

export function outputMembers(graph: IRGraph, plans: readonly NodePlan[]): Members {
  return graph.outputs.map((output) => [output.name, batchTensorType(plans[output.node]!.shape)] as const);
}
