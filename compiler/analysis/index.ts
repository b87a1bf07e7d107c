/** All analyses over one IRGraph, gathered into per-node rows and totals for the reports. */
import type { Accept } from '../diagnostics/diagnostic.js';
import type { IRGraph, IRNode, Shape } from '../ir/ir.js';
import { checkBudgets, type BudgetVerdict } from './budgets.js';
import { activationBytes, nodeMacs, peakLiveBytes } from './cost.js';
import { blockOf, inputShapes } from './lookup.js';
import { countParams } from './params.js';
import { receptiveFields, type NodeField } from './receptive.js';
import { inferShapes, type Shapes } from './shapes.js';
import { describeValidInputs } from './sizes.js';
import { warnInexactTotals } from './exact.js';
import { patchCoverage, warnFieldExceedsPatch, type PatchCoverage } from './patch.js';

export interface AnalyzeOptions {
  /** Batch size for activation memory (budgets use their own `at batch`). */
  readonly batch?: number;
}

export interface NodeRow {
  readonly node: IRNode;
  readonly shape: Shape | null;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  /** Output bytes at the analysis batch (float32). */
  readonly activationBytes: number;
  readonly receptiveField: NodeField;
  readonly sharedWith?: string;
  /** The block's own one-line detail (lowering, compression, ...); empty when it has none. */
  readonly detail: string;
}

export interface Totals {
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  /** Every node's output at the analysis batch: what training keeps for backprop (the `memory` budget). */
  readonly activationBytes: number;
}

export interface Analysis {
  readonly graph: IRGraph;
  readonly batch: number;
  /** One row per node, in node order (rows[i].node.id === i). */
  readonly rows: readonly NodeRow[];
  readonly totals: Totals;
  /** Most bytes live at once in an inference pass that frees values after their last use. */
  readonly peakLiveBytes: number;
  readonly budgets: readonly BudgetVerdict[];
  /** Networks on volumes: how much of each segmentation output sees only the patch (patch.ts). */
  readonly patches: readonly PatchCoverage[];
}

export function analyzeGraph(graph: IRGraph, options: AnalyzeOptions, accept: Accept): Analysis {
  const batch = options.batch ?? 1;
  let sizes: { text: string | undefined } | undefined;
  const inputSizes = () => (sizes ??= { text: describeValidInputs(graph) }).text;
  const shapes = inferShapes(graph, accept, { inputSizes });
  const params = countParams(graph, shapes, accept);
  const macs = nodeMacs(graph, shapes);
  const bytesPerExample = activationBytes(shapes, 1);
  const fields = receptiveFields(graph, shapes);
  const budgets = checkBudgets({ graph, shapes, params, macs, bytesPerExample, fields }, accept);
  const rows: NodeRow[] = graph.nodes.map((node) => ({
    node,
    shape: shapes[node.id] ?? null,
    trainable: params[node.id]!.trainable,
    nonTrainable: params[node.id]!.nonTrainable,
    macs: macs[node.id]!,
    activationBytes: bytesPerExample[node.id]! * batch,
    receptiveField: fields[node.id]!,
    ...(params[node.id]!.sharedWith === undefined ? {} : { sharedWith: params[node.id]!.sharedWith }),
    detail: detailOf(node, shapes),
  }));
  const sum = (pick: (row: NodeRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const totals = { trainable: sum((r) => r.trainable), nonTrainable: sum((r) => r.nonTrainable), macs: sum((r) => r.macs), activationBytes: sum((r) => r.activationBytes) };
  warnInexactTotals(graph, totals, accept);
  const patches = patchCoverage(graph, shapes, fields);
  warnFieldExceedsPatch(graph, patches, accept);
  return {
    graph,
    batch,
    rows,
    totals,
    peakLiveBytes: peakLiveBytes(graph, rows.map((r) => r.activationBytes)),
    budgets,
    patches,
  };
}

function detailOf(node: IRNode, shapes: Shapes): string {
  const def = blockOf(node.op);
  const ins = inputShapes(node, shapes);
  const out = shapes[node.id];
  return def?.describe && ins && out ? def.describe(ins, node.attrs, out) : '';
}

export type { BudgetVerdict, BudgetStatus } from './budgets.js';
export type { AxisField, NodeField, SourceField } from './receptive.js';
export { primaryField } from './receptive.js';
export type { PatchCoverage } from './patch.js';
export { verifyIR } from './verify.js';
export { inferShapes } from './shapes.js';
export { validInputSizes } from './sizes.js';
