/**
 * Budgets are checked declarations (`budget trainable <= 30k`). A failing budget is error GN0501 at the
 * declaration, naming the three largest contributors at their source lines and the numbers in a note.
 * When shape inference failed somewhere the totals are incomplete, so budgets are not judged.
 */
import { error, type Accept, type Label } from '../diagnostics/diagnostic.js';
import type { Budget, BudgetMetric, IRGraph } from '../ir/ir.js';
import { formatBytes, formatPercent, groupDigits } from './format.js';
import type { NodeParams } from './params.js';
import { primaryField, type NodeField } from './receptive.js';
import type { Shapes } from './shapes.js';

export type BudgetStatus = 'pass' | 'fail' | 'unknown';

export interface BudgetVerdict {
  readonly budget: Budget;
  /** The measured value (bytes at the budget's batch for memory); null when not judged. */
  readonly value: number | null;
  readonly status: BudgetStatus;
}

/** Per-node figures the budgets read (memory per example; scaled by each budget's batch). */
export interface Measures {
  readonly graph: IRGraph;
  readonly shapes: Shapes;
  readonly params: readonly NodeParams[];
  readonly macs: readonly number[];
  readonly bytesPerExample: readonly number[];
  readonly fields: readonly NodeField[];
}

interface MetricRule {
  readonly label: string;
  readonly format: (n: number) => string;
  /** Each node's figure; the total is their sum unless `total` is given (then figures are increments). */
  perNode(m: Measures, id: number, batch: number): number;
  total?(m: Measures): number;
  readonly help: string;
}

const px = (n: number): string => `${groupDigits(n)} px`;

const METRICS: Readonly<Record<BudgetMetric, MetricRule>> = {
  params: {
    label: 'params',
    format: groupDigits,
    perNode: (m, id) => m.params[id]!.trainable + m.params[id]!.nonTrainable,
    help: 'reduce the channels of the largest blocks, share weights, or use gauss blocks',
  },
  trainable: {
    label: 'trainable params',
    format: groupDigits,
    perNode: (m, id) => m.params[id]!.trainable,
    help: 'reduce the channels of the largest blocks, share weights, or use gauss blocks',
  },
  macs: {
    label: 'multiply-adds',
    format: groupDigits,
    perNode: (m, id) => m.macs[id]!,
    help: 'downsample earlier or reduce the channels of the largest blocks',
  },
  memory: {
    label: 'activation memory',
    format: formatBytes,
    perNode: (m, id, batch) => m.bytesPerExample[id]! * batch,
    help: 'lower the batch size, downsample earlier or reduce channels at full resolution',
  },
  receptive: {
    label: 'receptive field',
    format: px,
    perNode: (m, id) => fieldGrowth(m, id),
    total: outputReceptiveField,
    help: 'add strided or pooling layers, larger kernels or dilation',
  },
};

const HOLDS: Readonly<Record<Budget['op'], (value: number, limit: number) => boolean>> = {
  '<=': (v, l) => v <= l,
  '<': (v, l) => v < l,
  '>=': (v, l) => v >= l,
  '>': (v, l) => v > l,
};

/** A metric's value with its unit: "24 362", "756 KiB", "34 px". */
export function formatMetric(metric: BudgetMetric, value: number): string {
  return METRICS[metric].format(value);
}

/** The comparison that is true when the budget fails. */
const BROKEN: Readonly<Record<Budget['op'], string>> = { '<=': '>', '<': '>=', '>=': '<', '>': '<=' };

export function checkBudgets(m: Measures, accept: Accept): BudgetVerdict[] {
  const complete = m.shapes.every((shape) => shape !== null);
  return m.graph.budgets.map((budget) => {
    if (!complete) return { budget, value: null, status: 'unknown' };
    const rule = METRICS[budget.metric];
    const value = rule.total ? rule.total(m) : m.graph.nodes.reduce((sum, node) => sum + rule.perNode(m, node.id, budget.batch), 0);
    if (HOLDS[budget.op](value, budget.limit)) return { budget, value, status: 'pass' };
    accept(budgetError(m, budget, value));
    return { budget, value, status: 'fail' };
  });
}

/** Smaller axis of each output's field (largest over its network inputs), largest over outputs. */
export function outputReceptiveField(m: Pick<Measures, 'graph' | 'fields'>): number {
  const sizes = m.graph.outputs.flatMap((output) => m.fields[output.node]!.map((source) => Math.min(...source.axes.map((a) => a.size))));
  return sizes.length > 0 ? Math.max(...sizes) : 0;
}

/** How much a node widens the (smaller-axis) field of its widest input. */
function fieldGrowth(m: Measures, id: number): number {
  const size = (field: NodeField | undefined) => {
    const source = field && primaryField(field);
    return source ? Math.min(...source.axes.map((a) => a.size)) : 0;
  };
  const node = m.graph.nodes[id]!;
  if (node.inputs.length === 0) return 0;
  return Math.max(0, size(m.fields[id]) - Math.max(...node.inputs.map((input) => size(m.fields[input]))));
}

function budgetError(m: Measures, budget: Budget, value: number) {
  const rule = METRICS[budget.metric];
  const at = budget.metric === 'memory' ? ` at batch ${budget.batch}` : '';
  const numbers = `${rule.label} ${rule.format(value)} ${BROKEN[budget.op]} ${rule.format(budget.limit)}${at} (${formatPercent(value, budget.limit)})`;
  return error('GN0501', `budget ${budget.metric} ${budget.op} ${rule.format(budget.limit)}${at} fails`, budget.span, {
    label: `${rule.label} is ${rule.format(value)}`,
    secondary: contributors(m, budget, value),
    notes: [numbers],
    help: rule.help,
  });
}

/** The nodes with the largest figures; a share of the total where the figures add up to it. */
function contributors(m: Measures, budget: Budget, total: number): Label[] {
  const rule = METRICS[budget.metric];
  const amountText = (n: number) => (rule.total ? `+${rule.format(n)}` : `${rule.format(n)} (${formatPercent(n, total)})`);
  return m.graph.nodes
    .map((node) => ({ node, amount: rule.perNode(m, node.id, budget.batch) }))
    .filter(({ amount }) => amount > 0)
    .sort((a, b) => b.amount - a.amount || a.node.id - b.node.id)
    .slice(0, 3)
    .map(({ node, amount }) => ({ span: node.span, label: `${node.name} (${node.op}): ${amountText(amount)}` }));
}
