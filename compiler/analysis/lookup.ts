/** Generic access to the block registry and to a node's input shapes; no pass switches on kinds. */
import type { BlockDef } from '../blocks/block.js';
import { BLOCKS } from '../blocks/index.js';
import type { IRGraph, IRNode, Shape } from '../ir/ir.js';

const REGISTRY: Readonly<Record<string, BlockDef>> = BLOCKS;

/** The block definition of an op, or undefined for 'input' and unknown ops. */
export function blockOf(op: string): BlockDef | undefined {
  return Object.hasOwn(REGISTRY, op) ? REGISTRY[op] : undefined;
}

/** Shapes of a node's inputs, or null when any of them is unknown (poisoned by an earlier error). */
export function inputShapes(node: IRNode, shapes: readonly (Shape | null)[]): Shape[] | null {
  const known: Shape[] = [];
  for (const id of node.inputs) {
    const shape = shapes[id];
    if (shape === null || shape === undefined) return null;
    known.push(shape);
  }
  return known;
}

/** How messages name a producer: "e2 (maxpool)". */
export function producerName(graph: IRGraph, id: number): string {
  const node = graph.nodes[id];
  return node ? `${node.name} (${node.op})` : `#${id}`;
}
