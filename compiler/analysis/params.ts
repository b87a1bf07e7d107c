/**
 * Parameter counts from each block's weight list. Nodes with the same `weights` key share one set of
 * variables: the first node owns (and counts) them, later uses count zero and name the owner.
 */
import type { WeightSpec } from '../blocks/block.js';
import { error, type Accept } from '../diagnostics/diagnostic.js';
import type { IRGraph, IRNode } from '../ir/ir.js';
import { blockOf, inputShapes } from './lookup.js';
import type { Shapes } from './shapes.js';
import { product } from '../blocks/arith.js';

export interface NodeParams {
  /** The weights this node computes with (owned or shared). */
  readonly weights: readonly WeightSpec[];
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Name of the node that owns the weights, when this node reuses them. */
  readonly sharedWith?: string;
}

const NONE: NodeParams = { weights: [], trainable: 0, nonTrainable: 0 };

export function countParams(graph: IRGraph, shapes: Shapes, accept: Accept): NodeParams[] {
  const owners = new Map<string, { node: IRNode; weights: readonly WeightSpec[] }>();
  return graph.nodes.map((node) => {
    const weights = nodeWeights(node, shapes);
    if (weights.length === 0) return NONE;
    const owner = owners.get(node.weights);
    if (!owner) {
      owners.set(node.weights, { node, weights });
      return { weights, trainable: sizeOf(weights, true), nonTrainable: sizeOf(weights, false) };
    }
    if (!sameWeights(owner.weights, weights)) accept(sharedMismatch(node, owner.node, owner.weights, weights));
    return { weights, trainable: 0, nonTrainable: 0, sharedWith: owner.node.name };
  });
}

function nodeWeights(node: IRNode, shapes: Shapes): readonly WeightSpec[] {
  const def = blockOf(node.op);
  const ins = inputShapes(node, shapes);
  const out = shapes[node.id];
  return def && ins && out ? def.params(ins, node.attrs, out) : [];
}

function sizeOf(weights: readonly WeightSpec[], trainable: boolean): number {
  return weights.filter((w) => w.trainable === trainable).reduce((sum, w) => sum + product(w.shape), 0);
}

const describeWeights = (weights: readonly WeightSpec[]): string => weights.map((w) => `${w.name} [${w.shape.join(', ')}]`).join(', ');

function sameWeights(a: readonly WeightSpec[], b: readonly WeightSpec[]): boolean {
  return describeWeights(a) === describeWeights(b);
}

function sharedMismatch(node: IRNode, owner: IRNode, owned: readonly WeightSpec[], wanted: readonly WeightSpec[]) {
  return error('GN0401', `shared weights of \`${owner.name}\` do not fit this use`, node.span, {
    label: `needs ${describeWeights(wanted)}`,
    secondary: [{ span: owner.span, label: `weights created here: ${describeWeights(owned)}` }],
    help: 'a shared instance must see inputs with the same channels every time it is used',
  });
}
