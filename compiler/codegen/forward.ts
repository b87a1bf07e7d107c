/**
 * The body of forward(): one `const` per IR node, each computed by its block's emit() and preceded by
 * a comment naming the node and its place in the .gnet sources, then the outputs by name.
 */
import { blockOf } from '../analysis/lookup.js';
import type { EmitContext } from '../blocks/block.js';
import type { IRGraph } from '../ir/ir.js';
import { castTo, parseEmitted } from './expression.js';
import { propertyAccess, propertyName } from './identifiers.js';
import { lineCommentText } from './literal.js';
import { weightName, type NodePlan } from './plan.js';
import { batchTensorType } from './types.js';

/** What dropout and fre see when the caller passes no state (inference, or a one-off training call). */
const DEFAULT_STATE = '{ epoch: 0, seed: 0, step: 0 }';

function emitContext(plan: NodePlan, plans: readonly NodePlan[], onState: () => void): EmitContext {
  const { node } = plan;
  return {
    inputs: node.inputs.map((id) => plans[id]!.ident),
    inputShapes: plan.inputShapes,
    outShape: plan.shape,
    attrs: node.attrs,
    weight(name) {
      const spec = plan.weights.find((w) => w.name === name);
      if (!spec) throw new Error(`codegen: the ${node.op} block of node '${node.name}' emitted weight '${name}', which its params() does not declare`);
      return `weights[${JSON.stringify(weightName(node, spec))}]`;
    },
    training: 'options.training',
    get state() {
      onState();
      return 'state';
    },
    key: JSON.stringify(node.name),
  };
}

function comment(plan: NodePlan): string {
  const { node, source, shape } = plan;
  return `// ${lineCommentText(`${node.name} (${node.op}, ${shape.join('×')}) — ${source.file}:${source.line}:${source.column}`)}`;
}

function computation(graph: IRGraph, plan: NodePlan, plans: readonly NodePlan[], onState: () => void): string {
  const { node } = plan;
  if (node.op === 'input') {
    const input = graph.inputs.find((i) => i.node === node.id);
    if (!input) throw new Error(`codegen: input node '${node.name}' is not one of the graph's inputs`);
    return propertyAccess('inputs', input.name);
  }
  const expression = blockOf(node.op)!.emit(emitContext(plan, plans, onState));
  return castTo(parseEmitted(expression, node.name), batchTensorType(plan.shape));
}

/** Statements of forward(), one per line (comments on their own lines). */
export function forwardStatements(graph: IRGraph, plans: readonly NodePlan[]): string[] {
  let usesState = false;
  const nodes = plans.flatMap((plan) => [comment(plan), `const ${plan.ident} = ${computation(graph, plan, plans, () => (usesState = true))};`]);
  const outputs = graph.outputs.map((o) => `${propertyName(o.name)}: ${plans[o.node]!.ident}`);
  const state = usesState ? [`const state = options.state ?? ${DEFAULT_STATE};`] : [];
  return [...state, ...nodes, `return { ${outputs.join(', ')} };`];
}
