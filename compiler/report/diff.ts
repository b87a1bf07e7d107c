/**
 * Per-block changes between two analyses. Blocks match by node name (the frame path joined); the
 * result follows the second network's order, with removed blocks where they used to be.
 */
import type { Analysis, NodeRow, Totals } from '../analysis/index.js';
import { formatSI, formatShape } from '../analysis/format.js';
import type { Shape } from '../ir/ir.js';
import { paramsCell } from './cells.js';

export interface BlockSummary {
  readonly name: string;
  readonly path: readonly string[];
  readonly op: string;
  readonly shape: Shape | null;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
}

export type ChangedField = 'op' | 'shape' | 'params' | 'macs';

export type BlockChange =
  | { readonly kind: 'added'; readonly after: BlockSummary }
  | { readonly kind: 'removed'; readonly before: BlockSummary }
  | { readonly kind: 'changed'; readonly before: BlockSummary; readonly after: BlockSummary; readonly fields: readonly ChangedField[] };

export interface GraphDiff {
  readonly before: string;
  readonly after: string;
  readonly changes: readonly BlockChange[];
  readonly unchanged: number;
  readonly totals: { readonly before: Totals; readonly after: Totals };
}

export function diff(a: Analysis, b: Analysis): GraphDiff {
  const match = matchRows(a.rows, b.rows);
  const matchedBefore = new Set(match.values());
  const changes: BlockChange[] = [];
  let added: BlockChange[] = [];
  let next = 0;
  // Between two matched blocks: what was removed there, then what was added (unified-diff order).
  const flushUpTo = (end: number) => {
    for (; next < end; next++) if (!matchedBefore.has(next)) changes.push({ kind: 'removed', before: summary(a.rows[next]!) });
    changes.push(...added);
    added = [];
  };
  let unchanged = 0;
  b.rows.forEach((row, i) => {
    const j = match.get(i);
    if (j === undefined) {
      added.push({ kind: 'added', after: summary(row) });
      return;
    }
    flushUpTo(Math.max(next, j + 1));
    const [before, after] = [summary(a.rows[j]!), summary(row)];
    const fields = changedFields(before, after);
    if (fields.length === 0) unchanged++;
    else changes.push({ kind: 'changed', before, after, fields });
  });
  flushUpTo(a.rows.length);
  return { before: a.graph.name, after: b.graph.name, changes, unchanged, totals: { before: a.totals, after: b.totals } };
}

/** Index in b → index in a. Node names are their frame paths joined, so this matches by path too. */
function matchRows(a: readonly NodeRow[], b: readonly NodeRow[]): Map<number, number> {
  const byName = new Map(a.map((row, j) => [row.node.name, j]));
  const match = new Map<number, number>();
  b.forEach((row, i) => {
    const j = byName.get(row.node.name);
    if (j !== undefined) match.set(i, j);
  });
  return match;
}

function summary(row: NodeRow): BlockSummary {
  const { node } = row;
  return { name: node.name, path: node.path, op: node.op, shape: row.shape, trainable: row.trainable, nonTrainable: row.nonTrainable, macs: row.macs };
}

function changedFields(a: BlockSummary, b: BlockSummary): ChangedField[] {
  const fields: ChangedField[] = [];
  if (a.op !== b.op) fields.push('op');
  if (formatShape(a.shape) !== formatShape(b.shape)) fields.push('shape');
  if (a.trainable !== b.trainable || a.nonTrainable !== b.nonTrainable) fields.push('params');
  if (a.macs !== b.macs) fields.push('macs');
  return fields;
}

const params = (s: BlockSummary | Totals): string => paramsCell(s.trainable, s.nonTrainable) || '0';

const describe = (s: BlockSummary): string => `${s.name}  ${s.op}  ${formatShape(s.shape)}  ${params(s)} params`;

const FIELD_TEXT: Readonly<Record<ChangedField, (s: BlockSummary) => string>> = {
  op: (s) => s.op,
  shape: (s) => formatShape(s.shape),
  params,
  macs: (s) => formatSI(s.macs),
};

/** Unified-diff style lines: "-" removed, "+" added, "~" changed, then the totals. */
export function renderDiff(d: GraphDiff): string {
  const lines = d.changes.map((c) => {
    if (c.kind === 'added') return `+ ${describe(c.after)}`;
    if (c.kind === 'removed') return `- ${describe(c.before)}`;
    const what = c.fields.map((f) => `${f} ${FIELD_TEXT[f](c.before)} → ${FIELD_TEXT[f](c.after)}`).join('; ');
    return `~ ${c.after.name}: ${what}`;
  });
  const { before, after } = d.totals;
  return [
    `--- ${d.before}`,
    `+++ ${d.after}`,
    ...lines,
    `${d.unchanged} blocks unchanged`,
    `params ${params(before)} → ${params(after)}; MACs ${formatSI(before.macs)} → ${formatSI(after.macs)}`,
  ].join('\n');
}
