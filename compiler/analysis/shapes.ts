/**
 * Shape inference over the IR by each block's own rule. A rule's error becomes a diagnostic at the
 * node, pointing at the producers it names; the node's shape is then unknown (null), and every node
 * that consumes an unknown shape is skipped silently, so one mistake gives one diagnostic.
 */
import type { BlockDef, ShapeContext } from '../blocks/block.js';
import { axisNames, isFeatureMap, spatialOf } from '../blocks/feature-map.js';
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
  if (!axisArgumentsFit(def, node, ins, ctx)) return null;
  const out = def.shape(ins, node.attrs, ctx);
  return failed ? null : out;
}

/**
 * GN0110: an axes argument written as a list must have one entry per spatial axis of the block's
 * input — [h, w] on an image, [d, h, w] on a volume. Checked here for every block alike, from the
 * argument types, so no shape rule reads a list of the wrong length.
 */
function axisArgumentsFit(def: BlockDef, node: IRNode, ins: readonly Shape[], ctx: ShapeContext): boolean {
  const input = ins[0];
  if (!input || !isFeatureMap(input)) return true;
  const rank = spatialOf(input).length;
  const names = axisNames(rank);
  let fits = true;
  for (const [name, spec] of Object.entries(def.args)) {
    const value = node.attrs[name];
    if ((spec.type !== 'axes' && spec.type !== 'padding') || !Array.isArray(value) || value.length === rank) continue;
    fits = false;
    const kind = rank === 3 ? 'a volume' : 'an image';
    ctx.error('GN0110', `\`${name}\` [${value.join(', ')}] has ${value.length} entries, but the input ${formatShape(input)} is ${kind} with ${rank} spatial axes (${names.join(', ')})`, {
      help: `write one number for every axis (\`${name} = ${value[0]}\`) or a list of ${rank}: [${names.join(', ')}]`,
      inputs: [0],
    });
  }
  return fits;
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
