/**
 * The module's `META` dict: the TypeScript module's `meta` (network, doc, source, inputs, outputs,
 * weights with their initialisers, totals, training section, source map) plus, per weight, its name in
 * the torch module's state_dict and the layout converting gnet's array to torch's.
 */
import type { Analysis } from '../../analysis/index.js';
import { blockOf } from '../../analysis/lookup.js';
import { type TorchLayout, type WeightSpec, weightDecays } from '../../blocks/block.js';
import type { IRGraph } from '../../ir/ir.js';
import type { NodePlan } from '../plan.js';
import { pyData, type PyData } from './python.js';

export interface TorchWeight {
  readonly plan: NodePlan;
  readonly spec: WeightSpec;
  readonly name: string;
  readonly torch: string;
  readonly layout: TorchLayout;
}

export interface MetaOptions {
  readonly sourceFile: string;
  readonly className: string;
  readonly weights: readonly TorchWeight[];
  /** Line of each node's statement in the module, by node id (0 until known). */
  readonly generatedLines: ReadonlyMap<number, number>;
}

const location = (plan: NodePlan): PyData => ({ file: plan.source.file, line: plan.source.line, column: plan.source.column });

/** The activation an output ends in (softmax, sigmoid, …), for losses that need to know; null for others. */
function outputActivation(plan: NodePlan): string | null {
  return blockOf(plan.node.op)?.category.has('activation') ? plan.node.op : null;
}

function list(key: string, items: readonly PyData[]): string[] {
  if (items.length === 0) return [`    ${pyData(key)}: [],`];
  return [`    ${pyData(key)}: [`, ...items.map((item) => `        ${pyData(item)},`), '    ],'];
}

export function metaLines(graph: IRGraph, analysis: Analysis, plans: readonly NodePlan[], options: MetaOptions): string[] {
  const { trainable, nonTrainable } = analysis.totals;
  const weights = options.weights.map(({ plan, spec, name, torch, layout }) => ({
    name,
    shape: spec.shape,
    trainable: spec.trainable,
    init: spec.init as unknown as PyData,
    minValue: spec.minValue ?? null,
    decays: weightDecays(spec),
    block: plan.node.name,
    source: location(plan),
    torch,
    layout,
  }));
  const scalar = (key: string, value: PyData) => `    ${pyData(key)}: ${pyData(value)},`;
  return [
    'META = {',
    scalar('network', graph.name),
    scalar('class', options.className),
    scalar('doc', graph.doc),
    scalar('source', options.sourceFile),
    ...list('inputs', graph.inputs.map((i) => ({ name: i.name, shape: i.shape }))),
    ...list('outputs', graph.outputs.map((o) => ({ name: o.name, shape: plans[o.node]!.shape, activation: outputActivation(plans[o.node]!) }))),
    ...list('weights', weights),
    scalar('params', { trainable, nonTrainable, total: trainable + nonTrainable }),
    scalar('training', graph.training as PyData),
    ...list(
      'sourceMap',
      plans.map((plan) => ({ generatedLine: options.generatedLines.get(plan.node.id) ?? 0, node: plan.node.name, ...(location(plan) as object) })),
    ),
    '}',
  ];
}
