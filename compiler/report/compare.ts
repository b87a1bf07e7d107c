/** Several networks side by side: one column per network, totals first, then a breakdown by block kind. */
import Table from 'cli-table3';
import type { Analysis } from '../analysis/index.js';
import { outputReceptiveField } from '../analysis/budgets.js';
import { formatBytes, formatSI, formatShape, groupDigits } from '../analysis/format.js';
import { markdownTable } from './markdown.js';

export interface KindFigures {
  readonly count: number;
  readonly params: number;
  readonly macs: number;
}

export interface Comparison {
  readonly networks: readonly string[];
  /** Labelled rows of formatted totals, one value per network. */
  readonly totals: readonly { readonly label: string; readonly values: readonly string[] }[];
  /** Every op that occurs in any network, most parameters first, with per-network figures. */
  readonly kinds: readonly { readonly op: string; readonly figures: readonly KindFigures[] }[];
}

export function compareAnalyses(analyses: readonly Analysis[]): Comparison {
  const row = (label: string, value: (a: Analysis) => string) => ({ label, values: analyses.map(value) });
  const shapes = (a: Analysis, nodes: readonly number[]) => nodes.map((n) => formatShape(a.rows[n]?.shape ?? null)).join(', ');
  const totals = [
    row('Inputs', (a) => a.graph.inputs.map((i) => formatShape(i.shape)).join(', ')),
    row('Outputs', (a) => shapes(a, a.graph.outputs.map((o) => o.node))),
    row('Params', (a) => groupDigits(a.totals.trainable + a.totals.nonTrainable)),
    row('Trainable', (a) => groupDigits(a.totals.trainable)),
    row('Non-trainable', (a) => groupDigits(a.totals.nonTrainable)),
    row('MACs', (a) => formatSI(a.totals.macs)),
    row('Activations', (a) => `${formatBytes(a.totals.activationBytes)} (batch ${a.batch})`),
    row('Peak live', (a) => formatBytes(a.peakLiveBytes)),
    row('Receptive field', (a) => `${groupDigits(outputReceptiveField({ graph: a.graph, fields: a.rows.map((r) => r.receptiveField) }))} px`),
    row('Nodes', (a) => String(a.rows.length)),
  ];
  return { networks: analyses.map((a) => a.graph.name), totals, kinds: kindBreakdown(analyses) };
}

function kindBreakdown(analyses: readonly Analysis[]): Comparison['kinds'] {
  const perNetwork = analyses.map((a) => {
    const byOp = new Map<string, KindFigures>();
    for (const row of a.rows) {
      const seen = byOp.get(row.node.op) ?? { count: 0, params: 0, macs: 0 };
      byOp.set(row.node.op, { count: seen.count + 1, params: seen.params + row.trainable + row.nonTrainable, macs: seen.macs + row.macs });
    }
    return byOp;
  });
  const ops = [...new Set(perNetwork.flatMap((byOp) => [...byOp.keys()]))];
  const none: KindFigures = { count: 0, params: 0, macs: 0 };
  const kinds = ops.map((op) => ({ op, figures: perNetwork.map((byOp) => byOp.get(op) ?? none) }));
  const weight = (k: (typeof kinds)[number]) => k.figures.reduce((sum, f) => sum + f.params, 0);
  return kinds.sort((a, b) => weight(b) - weight(a));
}

export function kindCell(f: KindFigures): string {
  if (f.count === 0) return '—';
  const macs = f.macs > 0 ? `, ${formatSI(f.macs)} MACs` : '';
  return `${f.count}×, ${groupDigits(f.params)} params${macs}`;
}

function cellRows(c: Comparison): string[][] {
  return [...c.totals.map((t) => [t.label, ...t.values]), ...c.kinds.map((k) => [k.op, ...k.figures.map(kindCell)])];
}

export function renderComparison(c: Comparison): string {
  const table = new Table({ head: ['', ...c.networks], style: { head: [], border: [] } });
  for (const cells of cellRows(c)) table.push(cells);
  return table.toString();
}

export function comparisonMarkdown(c: Comparison): string {
  return markdownTable(['', ...c.networks], cellRows(c));
}
