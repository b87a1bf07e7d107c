/**
 * What every exporter of a traced graph needs: the ops that reach an output (in order), the weights
 * and constants they read, and one readable, unique name per op ("e1.unit.conv/Conv2D").
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TracedGraph, TracedOp, TracedValue } from './trace.js';

export interface GraphParts {
  readonly ops: readonly TracedOp[];
  /** The weights and constants the kept ops read, by value id. */
  readonly constants: readonly (TracedValue & { readonly source: { readonly kind: 'weight'; readonly name: string; readonly values: tf.TypedArray } })[];
  /** A unique name per kept op. */
  readonly opNames: ReadonlyMap<number, string>;
}

export function graphParts(graph: TracedGraph): GraphParts {
  const needed = new Set<number>(graph.outputs.map((o) => o.value));
  const kept: TracedOp[] = [];
  for (const op of [...graph.ops].reverse()) {
    if (!op.outputs.some((v) => needed.has(v))) continue;
    kept.unshift(op);
    for (const v of Object.values(op.inputs)) needed.add(v);
  }
  const constants = graph.values.filter((v) => needed.has(v.id) && v.source.kind === 'weight') as GraphParts['constants'][number][];
  const used = new Set<string>();
  const unique = (name: string) => {
    let candidate = name;
    for (let n = 1; used.has(candidate); n++) candidate = `${name}_${n}`;
    used.add(candidate);
    return candidate;
  };
  for (const c of constants) unique(c.source.name);
  for (const i of graph.inputs) unique(i.name);
  for (const o of graph.outputs) unique(o.name);
  const opNames = new Map(kept.map((op) => [op.id, unique(`${op.block}/${op.kernel}`)]));
  return { ops: kept, constants, opNames };
}

/** The product of a shape's sizes. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
