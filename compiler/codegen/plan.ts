/**
 * What codegen needs per IR node, gathered once: its local identifier, shapes from the analysis, the
 * weights it computes with (owned or shared) and where it came from in the sources.
 */
import type { Analysis } from '../analysis/index.js';
import { blockOf } from '../analysis/lookup.js';
import type { WeightSpec } from '../blocks/block.js';
import type { IRGraph, IRNode, Shape } from '../ir/ir.js';
import { IdentifierPool } from './identifiers.js';
import type { Locate, SourceLocation } from './source-location.js';

export interface NodePlan {
  readonly node: IRNode;
  /** The `const` holding the node's output inside forward(). */
  readonly ident: string;
  /** Per-example output shape (batch implied). */
  readonly shape: Shape;
  readonly inputShapes: readonly Shape[];
  /** The weights the node computes with; shared ones are also listed by their owner. */
  readonly weights: readonly WeightSpec[];
  /** True when this node creates its weights (false for later uses of shared weights). */
  readonly ownsWeights: boolean;
  readonly source: SourceLocation;
}

/** Names the generated module declares itself; node identifiers steer clear of them. */
export const MODULE_NAMES = ['tf', 'rt', 'meta', 'weights', 'inputs', 'options', 'state', 'forward', 'createWeights', 'constrain', 'Weights', 'Inputs', 'Outputs'];

/** The variable name of one weight: `e1.conv/kernel`; nodes sharing weights share the key before the slash. */
export function weightName(node: IRNode, spec: WeightSpec): string {
  return `${node.weights}/${spec.name}`;
}

export function planNodes(graph: IRGraph, analysis: Analysis, locate: Locate): NodePlan[] {
  const pool = new IdentifierPool(MODULE_NAMES);
  const shapeOf = (id: number): Shape => {
    const shape = analysis.rows[id]?.shape;
    if (!shape) throw new Error(`codegen: node '${graph.nodes[id]?.name ?? id}' has no inferred shape; generate code only for graphs that analyse without errors`);
    return shape;
  };
  return graph.nodes.map((node) => {
    const shape = shapeOf(node.id);
    const inputShapes = node.inputs.map(shapeOf);
    const def = blockOf(node.op);
    if (!def && node.op !== 'input') throw new Error(`codegen: unknown op '${node.op}' at node '${node.name}'`);
    return {
      node,
      ident: pool.claim(node.name),
      shape,
      inputShapes,
      weights: def ? def.params(inputShapes, node.attrs, shape) : [],
      ownsWeights: analysis.rows[node.id]!.sharedWith === undefined,
      source: locate(node.span),
    };
  });
}
