/**
 * Shape inference over the IR by each block's own rule. A rule's error becomes a diagnostic at the
 * node, pointing at the producers it names; the node's shape is then unknown (null), and every node
 * that consumes an unknown shape is skipped silently, so one mistake gives one diagnostic.
 */
import type { ShapeContext } from '../blocks/block.js';
import { error, type Accept, type DiagnosticExtra, type Label } from '../diagnostics/diagnostic.js';
import type { IRGraph, IRNode, Shape } from '../ir/ir.js';
import { formatShape } from './format.js';
import { blockOf, inputShapes, producerName } from './lookup.js';

export type Shapes = readonly (Shape | null)[];

export interface ShapeHints {
  /** See ShapeContext.inputSizes; asked only when a rule fails on a size. */
  readonly inputSizes?: () => string | undefined;
}

export function inferShapes(graph: IRGraph, accept: Accept, hints: ShapeHints = {}): (Shape | null)[] {
  const declared = new Map(graph.inputs.map((input) => [input.node, input.shape]));
  const shapes: (Shape | null)[] = [];
  for (const node of graph.nodes) {
    shapes.push(node.op === 'input' ? (declared.get(node.id) ?? null) : blockShape(graph, node, shapes, accept, hints));
  }
  return shapes;
}

function blockShape(graph: IRGraph, node: IRNode, shapes: Shapes, accept: Accept, hints: ShapeHints): Shape | null {
  const def = blockOf(node.op);
  const ins = inputShapes(node, shapes);
  if (!def || !ins) return null;
  let failed = false;
  const ctx: ShapeContext = {
    inputNames: node.inputs.map((id) => producerName(graph, id)),
    error(code, message, extra = {}) {
      failed = true;
      accept(error(code, message, node.span, withProducers(graph, node, ins, extra)));
    },
    inputSizes: hints.inputSizes,
  };
  const out = def.shape(ins, node.attrs, ctx);
  return failed ? null : out;
}

/** Secondary labels at the producers of the inputs the rule named (positions in the node's input list). */
function withProducers(
  graph: IRGraph,
  node: IRNode,
  ins: readonly Shape[],
  extra: DiagnosticExtra & { inputs?: readonly number[] },
): DiagnosticExtra {
  const { inputs = [], ...rest } = extra;
  const producers: Label[] = inputs
    .filter((position) => position >= 0 && position < node.inputs.length)
    .map((position) => {
      const id = node.inputs[position]!;
      return { span: graph.nodes[id]!.span, label: `${producerName(graph, id)} produces ${formatShape(ins[position]!)}` };
    });
  const secondary = [...(rest.secondary ?? []), ...producers];
  return secondary.length > 0 ? { ...rest, secondary } : rest;
}
