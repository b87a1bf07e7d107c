/** The text of report cells and summary lines, shared by the terminal table and Markdown. */
import type { Analysis, BudgetVerdict, SourceField } from '../analysis/index.js';
import { formatMetric, outputReceptiveField } from '../analysis/budgets.js';
import { formatBytes, formatPercent, formatShape, formatSI, groupDigits } from '../analysis/format.js';
import { coverageLine } from '../analysis/patch.js';
import type { Budget } from '../ir/ir.js';
import type { ReportRow } from './rows.js';

export const HEADERS = ['Block', 'Op', 'Output shape', 'Params (train / fixed)', 'Share', 'MACs', 'Activations', 'RF size, jump, start', 'Detail'];

export function rowCells(row: ReportRow, analysis: Analysis, indent: string): string[] {
  const params = row.trainable + row.nonTrainable;
  return [
    `${indent.repeat(row.depth)}${row.kind === 'node' ? '' : row.kind === 'frame-open' ? '▾ ' : '▸ '}${row.label}`,
    row.op,
    formatShape(row.shape),
    paramsCell(row.trainable, row.nonTrainable),
    params > 0 ? formatPercent(params, totalParams(analysis)) : '',
    row.macs > 0 ? formatSI(row.macs) : '',
    formatBytes(row.activationBytes),
    fieldCell(row.field),
    row.detail,
  ];
}

export function totalCells(analysis: Analysis): string[] {
  const t = analysis.totals;
  return ['Total', '', '', paramsCell(t.trainable, t.nonTrainable), '100 %', formatSI(t.macs), formatBytes(t.activationBytes), '', ''];
}

const totalParams = (analysis: Analysis): number => analysis.totals.trainable + analysis.totals.nonTrainable;

export function paramsCell(trainable: number, nonTrainable: number): string {
  if (trainable === 0 && nonTrainable === 0) return '';
  return nonTrainable === 0 ? groupDigits(trainable) : `${groupDigits(trainable)} / ${groupDigits(nonTrainable)}`;
}

/** "5, 1, 0" when every axis agrees, else "5×3, 1×1, 0×-1" (height×width, depth first on a volume). */
export function fieldCell(field: SourceField | undefined): string {
  if (!field) return '';
  const all = (values: readonly number[]) => (values.every((v) => v === values[0]) ? groupDigits(values[0]!) : values.map(groupDigits).join('×'));
  const of = (pick: (a: SourceField['axes'][number]) => number) => all(field.axes.map(pick));
  return `${of((a) => a.size)}, ${of((a) => a.jump)}, ${of((a) => a.start)}`;
}

/** The doc comment, then the network name and its inputs and outputs. */
export function headerLines(analysis: Analysis): string[] {
  const g = analysis.graph;
  const doc = g.doc.trim() === '' ? [] : g.doc.trim().split('\n');
  const shapeOf = (node: number) => formatShape(analysis.rows[node]?.shape ?? null);
  const inputs = g.inputs.map((i) => `${i.name} ${formatShape(i.shape)}`).join(', ');
  const outputs = g.outputs.map((o) => `${o.name} ${shapeOf(o.node)}`).join(', ');
  return [...doc, `network ${g.name}: ${inputs} → ${outputs}`];
}

export function summaryLines(analysis: Analysis): string[] {
  const t = analysis.totals;
  return [
    `Params: ${groupDigits(totalParams(analysis))} (trainable ${groupDigits(t.trainable)}, non-trainable ${groupDigits(t.nonTrainable)})`,
    `Multiply-adds: ${formatSI(t.macs)} per example`,
    `Activation memory at batch ${analysis.batch}: ${formatBytes(t.activationBytes)} kept for backprop, ${formatBytes(analysis.peakLiveBytes)} peak in inference`,
    `Receptive field of the output: ${groupDigits(outputReceptiveField({ graph: analysis.graph, fields: analysis.rows.map((r) => r.receptiveField) }))} px`,
    ...analysis.patches.map(coverageLine),
    ...analysis.budgets.map(budgetLine),
  ];
}

const MARK: Readonly<Record<BudgetVerdict['status'], string>> = { pass: '✓', fail: '✗', unknown: '?' };

function budgetLine(verdict: BudgetVerdict): string {
  const b = verdict.budget;
  const at = b.metric === 'memory' ? ` at batch ${b.batch}` : '';
  const measured = verdict.value === null ? 'not checked (shape errors)' : `${formatMetric(b.metric, verdict.value)} (${formatPercent(verdict.value, b.limit)})`;
  return `${MARK[verdict.status]} budget ${budgetText(b)}${at}: ${measured}`;
}

const budgetText = (b: Budget): string => `${b.metric} ${b.op} ${formatMetric(b.metric, b.limit)}`;
