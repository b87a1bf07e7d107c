/**
 * The machine-readable report. Other tools read this shape, so its keys are a contract: change them
 * only together with every consumer.
 */
import { primaryField, type Analysis, type SourceField } from '../analysis/index.js';
import { lineColumn, lineStarts } from '../diagnostics/position.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Budget, BudgetMetric, IRGraph, Shape } from '../ir/ir.js';

export interface FieldJSON {
  /** Name of the network input whose pixels the field is measured in. */
  readonly input: string;
  /** One entry per spatial axis each: [height, width], or [depth, height, width] on a volume. */
  readonly size: readonly number[];
  readonly jump: readonly number[];
  readonly start: readonly number[];
}

/** line and column are 1-based; null when the file's text was not supplied. */
export interface SourceJSON {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
}

export interface BlockJSON {
  readonly name: string;
  readonly path: readonly string[];
  readonly op: string;
  readonly outputShape: Shape | null;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  readonly receptiveField: FieldJSON | null;
  readonly source: SourceJSON;
}

export interface BudgetJSON {
  readonly metric: BudgetMetric;
  readonly op: Budget['op'];
  readonly limit: number;
  readonly batch: number;
  readonly value: number | null;
  readonly status: 'pass' | 'fail' | 'unknown';
  readonly source: SourceJSON;
}

export interface ReportJSON {
  readonly network: string;
  readonly inputs: readonly { readonly name: string; readonly shape: Shape }[];
  readonly outputs: readonly { readonly name: string; readonly shape: Shape | null }[];
  readonly totals: { readonly trainable: number; readonly nonTrainable: number; readonly macs: number; readonly activationBytes: number };
  readonly blocks: readonly BlockJSON[];
  readonly budgets: readonly BudgetJSON[];
}

/** Source texts by file name, to turn span offsets into line:column. */
export type SourceTexts = ReadonlyMap<string, string>;

export function toJSON(analysis: Analysis, sources: SourceTexts = new Map()): ReportJSON {
  const locate = locator(sources);
  const { graph, totals } = analysis;
  return {
    network: graph.name,
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    outputs: graph.outputs.map((o) => ({ name: o.name, shape: analysis.rows[o.node]?.shape ?? null })),
    totals: { trainable: totals.trainable, nonTrainable: totals.nonTrainable, macs: totals.macs, activationBytes: totals.activationBytes },
    blocks: analysis.rows.map((row) => ({
      name: row.node.name,
      path: row.node.path,
      op: row.node.op,
      outputShape: row.shape,
      trainable: row.trainable,
      nonTrainable: row.nonTrainable,
      macs: row.macs,
      receptiveField: fieldJSON(graph, primaryField(row.receptiveField)),
      source: locate(row.node.span),
    })),
    budgets: analysis.budgets.map(({ budget, value, status }) => ({
      metric: budget.metric,
      op: budget.op,
      limit: budget.limit,
      batch: budget.batch,
      value,
      status,
      source: locate(budget.span),
    })),
  };
}

function fieldJSON(graph: IRGraph, field: SourceField | undefined): FieldJSON | null {
  if (!field) return null;
  return {
    input: graph.inputs.find((i) => i.node === field.input)?.name ?? graph.nodes[field.input]!.name,
    size: field.axes.map((a) => a.size),
    jump: field.axes.map((a) => a.jump),
    start: field.axes.map((a) => a.start),
  };
}

/** Line starts are computed once per file. */
function locator(sources: SourceTexts): (span: Span) => SourceJSON {
  const starts = new Map<string, number[]>();
  return (span) => {
    const text = sources.get(span.file);
    if (text === undefined) return { file: span.file, line: null, column: null };
    if (!starts.has(span.file)) starts.set(span.file, lineStarts(text));
    const { line, column } = lineColumn(text, span.start, starts.get(span.file));
    return { file: span.file, line, column };
  };
}
