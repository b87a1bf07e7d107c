/**
 * Report rows in the block hierarchy (node.path): every frame (block call, value binding) becomes a
 * row that aggregates its nodes, followed by its children while the depth allows. Frames are the
 * consecutive runs of nodes sharing a path prefix, so a block called twice gives two frames.
 */
import type { Analysis, NodeRow, SourceField } from '../analysis/index.js';
import { primaryField } from '../analysis/index.js';
import type { Shape } from '../ir/ir.js';

export interface ReportRow {
  /** 0 for top-level rows. */
  readonly depth: number;
  /** Last path element (or the node name when the path is empty). */
  readonly label: string;
  /** Full name: the node name, or the frame path joined with '.'. */
  readonly name: string;
  readonly path: readonly string[];
  /** A node's op, or for a frame a summary of the ops inside ("2 conv, 2 batchnorm, 2 relu"). */
  readonly op: string;
  /** 'frame-open' rows are followed by their children; 'frame' rows aggregate hidden ones. */
  readonly kind: 'node' | 'frame' | 'frame-open';
  /** Output shape and field of the node, or of the frame's last node (its result). */
  readonly shape: Shape | null;
  readonly field: SourceField | undefined;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  readonly activationBytes: number;
  readonly detail: string;
}

type Item = { readonly node: NodeRow } | { readonly frame: readonly string[]; readonly items: readonly Item[]; readonly nodes: readonly NodeRow[] };

/** Rows down to `depth` levels (1 = top level only); deeper levels are folded into their frame. */
export function reportRows(analysis: Analysis, depth = Infinity): ReportRow[] {
  return flatten(group(analysis.rows, 0), 0, depth);
}

function group(rows: readonly NodeRow[], level: number): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < rows.length) {
    const path = rows[i]!.node.path;
    if (path.length <= level + 1) {
      items.push({ node: rows[i]! });
      i++;
      continue;
    }
    const frame = path.slice(0, level + 1);
    let j = i;
    while (j < rows.length && inside(rows[j]!.node.path, frame)) j++;
    const nodes = rows.slice(i, j);
    items.push({ frame, items: group(nodes, level + 1), nodes });
    i = j;
  }
  return items;
}

const inside = (path: readonly string[], frame: readonly string[]): boolean =>
  path.length > frame.length && frame.every((part, k) => path[k] === part);

function flatten(items: readonly Item[], level: number, depth: number): ReportRow[] {
  return items.flatMap((item) => {
    if ('node' in item) return [nodeRow(item.node, level)];
    const open = level + 1 < depth;
    return [frameRow(item.frame, item.nodes, level, open), ...(open ? flatten(item.items, level + 1, depth) : [])];
  });
}

function nodeRow(row: NodeRow, depth: number): ReportRow {
  const path = row.node.path;
  const shared = row.sharedWith === undefined ? [] : [`shares weights with ${row.sharedWith}`];
  return {
    depth,
    label: path.length > 0 ? path[path.length - 1]! : row.node.name,
    name: row.node.name,
    path,
    op: row.node.op,
    kind: 'node',
    shape: row.shape,
    field: primaryField(row.receptiveField),
    trainable: row.trainable,
    nonTrainable: row.nonTrainable,
    macs: row.macs,
    activationBytes: row.activationBytes,
    detail: [row.detail, ...shared].filter((d) => d !== '').join('; '),
  };
}

function frameRow(frame: readonly string[], nodes: readonly NodeRow[], depth: number, open: boolean): ReportRow {
  const last = nodes[nodes.length - 1]!;
  const sum = (pick: (row: NodeRow) => number) => nodes.reduce((total, row) => total + pick(row), 0);
  return {
    depth,
    label: frame[frame.length - 1]!,
    name: frame.join('.'),
    path: frame,
    op: opSummary(nodes),
    kind: open ? 'frame-open' : 'frame',
    shape: last.shape,
    field: primaryField(last.receptiveField),
    trainable: sum((r) => r.trainable),
    nonTrainable: sum((r) => r.nonTrainable),
    macs: sum((r) => r.macs),
    activationBytes: sum((r) => r.activationBytes),
    detail: `${nodes.length} nodes`,
  };
}

/** The three most frequent ops: "2 conv, 2 batchnorm, 2 relu, …". */
function opSummary(nodes: readonly NodeRow[]): string {
  return summarizeOps(nodes.map((row) => row.node.op));
}

/** The three most frequent of `ops`: "2 conv, 2 batchnorm, 2 relu, …" (also the graph view's box text). */
export function summarizeOps(ops: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, 3).map(([op, n]) => (n > 1 ? `${n} ${op}` : op));
  return ranked.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}
