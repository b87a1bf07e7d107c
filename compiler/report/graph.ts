/**
 * The network as a graph of boxes for the playground's graph view: at a given depth of the block
 * hierarchy (1: one box per top-level value, as `gnet report --depth 1` folds it), each box is a
 * frame or a node, with the shape it outputs, the boxes it reads from (the skips among them), and
 * the place in the spec it comes from (a block's call site, else the node's own text).
 */
import type { Analysis } from '../analysis/index.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Shape } from '../ir/ir.js';
import { summarizeOps } from './rows.js';

/** One IR node as the graph needs it: plain data (it crosses postMessage to the page). */
export interface GraphNode {
  readonly name: string;
  readonly op: string;
  readonly path: readonly string[];
  readonly inputs: readonly number[];
  readonly shape: Shape | null;
  readonly span: Span;
  /** Where each user block this node was expanded from was called, by the frame it opened ("d1.up"). */
  readonly calls: readonly { readonly frame: string; readonly span: Span }[];
  readonly output?: string;
}

export interface GraphEdge {
  /** Index of the box the value comes from. */
  readonly from: number;
  /** The shape of that value (the producing node's output, which need not be its box's last). */
  readonly shape: Shape | null;
}

export interface GraphBox {
  /** The frame's full name ("e2.stage") or the node's name. */
  readonly name: string;
  readonly label: string;
  /** The op of a node, or the ops inside a frame ("2 gauss, 2 batchnorm, 2 relu"). */
  readonly ops: string;
  readonly kind: 'input' | 'output' | 'frame' | 'node';
  /** The output of the box's last node. */
  readonly shape: Shape | null;
  readonly span: Span;
  readonly inputs: readonly GraphEdge[];
  /** How many IR nodes the box stands for. */
  readonly nodes: number;
}

export function graphNodes(analysis: Analysis): GraphNode[] {
  const outputs = new Map(analysis.graph.outputs.map((o) => [o.node, o.name]));
  return analysis.graph.nodes.map((node) => ({
    name: node.name,
    op: node.op,
    path: node.path,
    inputs: node.inputs,
    shape: analysis.rows[node.id]?.shape ?? null,
    span: node.span,
    calls: (node.calls ?? []).map((c) => ({ frame: c.frame.join('.'), span: c.span })),
    output: outputs.get(node.id),
  }));
}

/** The deepest frame nesting: at this depth every box is a single node. */
export const graphDepth = (nodes: readonly GraphNode[]): number => Math.max(1, ...nodes.map((n) => n.path.length));

/** Boxes at `depth`: consecutive nodes that share a frame down to that depth form one box (nodes are in topological order). */
export function graphBoxes(nodes: readonly GraphNode[], depth: number): GraphBox[] {
  const groups: { key: string; frame: readonly string[] | null; members: number[] }[] = [];
  const boxOf = new Int32Array(nodes.length);
  nodes.forEach((node, i) => {
    const frame = node.path.length > depth ? node.path.slice(0, depth) : null;
    const key = frame ? `frame:${frame.join('.')}` : `node:${node.name}`;
    const last = groups.at(-1);
    if (last && last.key === key) last.members.push(i);
    else groups.push({ key, frame, members: [i] });
    boxOf[i] = groups.length - 1;
  });
  return groups.map((group, index) => {
    const members = group.members.map((i) => nodes[i]!);
    const first = members[0]!;
    const last = members.at(-1)!;
    const inputs: GraphEdge[] = [];
    for (const node of members) {
      for (const input of node.inputs) {
        const from = boxOf[input]!;
        const shape = nodes[input]!.shape;
        if (from !== index && !inputs.some((e) => e.from === from && sameShape(e.shape, shape))) inputs.push({ from, shape });
      }
    }
    const name = group.frame ? group.frame.join('.') : first.name;
    const kind = members.some((n) => n.output !== undefined) ? 'output' : first.op === 'input' ? 'input' : group.frame ? 'frame' : 'node';
    return {
      name,
      label: group.frame ? group.frame.at(-1)! : first.path.at(-1) ?? first.name,
      ops: group.frame ? summarizeOps(members.map((n) => n.op)) : first.op,
      kind,
      shape: last.shape,
      span: group.frame ? frameSpan(first, name) : first.span,
      inputs,
      nodes: members.length,
    };
  });
}

/** A frame opened by a block call points at that call; a value's frame (`e2 = …`) at its first node's place in the network. */
function frameSpan(first: GraphNode, frame: string): Span {
  return first.calls.find((c) => c.frame === frame)?.span ?? first.calls[0]?.span ?? first.span;
}

const sameShape = (a: Shape | null, b: Shape | null) => (a ?? []).join() === (b ?? []).join();
