/**
 * Receptive fields through every RFRule, per spatial axis (height, width; depth first on a volume), in the pixels of the network
 * input they come from (Araujo et al., "Computing receptive fields of CNNs", Distill 2019):
 *   size  r — input pixels one output value sees (the largest over positions),
 *   jump  j — input pixels between neighbouring outputs,
 *   start   — centre of the first output's field, in input pixel-centre coordinates (pixel 0 at 0).
 * A node fed by two network inputs (a two-pathway net) has one field per input.
 */
import type { Axes, RFRule } from '../blocks/block.js';
import { isFeatureMap, spatialOf } from '../blocks/feature-map.js';
import type { IRGraph, IRNode, Shape } from '../ir/ir.js';
import { blockOf, inputShapes } from './lookup.js';
import type { Shapes } from './shapes.js';

export interface AxisField {
  readonly size: number;
  readonly jump: number;
  readonly start: number;
}

export interface SourceField {
  /** Node id of the network input these pixels belong to. */
  readonly input: number;
  /** [height, width], or [depth, height, width]. */
  readonly axes: readonly AxisField[];
}

/** One field per network input the node depends on, by input node id; empty when unknown or not spatial. */
export type NodeField = readonly SourceField[];

const UNIT: AxisField = { size: 1, jump: 1, start: 0 };
const NONE: Axes = [];

export function receptiveFields(graph: IRGraph, shapes: Shapes): NodeField[] {
  const fields: NodeField[] = [];
  const positions: Axes[] = [];
  for (const node of graph.nodes) {
    const shape = shapes[node.id] ?? null;
    const incoming = node.inputs.length > 0 ? positions[node.inputs[0]!]! : NONE;
    const rule = node.op === 'input' || !shape ? null : ruleOf(node, shapes);
    if (node.op === 'input') fields.push(shape && isMap(shape) ? [{ input: node.id, axes: spatialOf(shape).map(() => UNIT) }] : []);
    else fields.push(rule && shape ? applyRule(rule, node, fields, incoming) : []);
    positions.push(mapPositions(shape, rule, incoming));
  }
  return fields;
}

/**
 * Positions along each spatial axis of the map whose pixels a node's values stand for: a flattened
 * vector keeps its map's, so that a dense layer after it (a global rule) spans the whole map.
 */
function mapPositions(shape: Shape | null, rule: RFRule | null, incoming: Axes): Axes {
  if (shape && isMap(shape)) return spatialOf(shape);
  return rule?.kind === 'global' ? incoming.map(() => 1) : incoming;
}

/** The field used for reports and budgets: the one measured in the first network input. */
export function primaryField(field: NodeField): SourceField | undefined {
  return field[0];
}

const isMap = isFeatureMap;

function ruleOf(node: IRNode, shapes: Shapes): RFRule | null {
  const def = blockOf(node.op);
  const ins = inputShapes(node, shapes);
  return def && ins ? def.receptiveField(ins, node.attrs) : null;
}

function applyRule(rule: RFRule, node: IRNode, fields: readonly NodeField[], inputPositions: Axes): NodeField {
  if (rule.kind === 'merge') return union(node.inputs.map((id) => fields[id]!));
  const incoming = node.inputs.length > 0 ? fields[node.inputs[0]!]! : [];
  return incoming.map((source) => ({
    input: source.input,
    axes: source.axes.map((f, axis) => axisRule(rule, f, axis, inputPositions[axis] ?? 1)),
  }));
}

function axisRule(rule: Exclude<RFRule, { kind: 'merge' }>, f: AxisField, axis: number, positions: number): AxisField {
  switch (rule.kind) {
    case 'identity':
      return f;
    case 'window': {
      const extent = (rule.kernel[axis]! - 1) * rule.dilation[axis]! + 1;
      return windowed(f, extent, rule.stride[axis]!, rule.padBefore[axis]!);
    }
    case 'transpose':
      return transposed(f, rule.kernel[axis]!, rule.stride[axis]!, rule.padBefore[axis]!);
    case 'upsample': {
      // Nearest neighbour: output o copies input ⌊o / f⌋, whose centre sits at (o + ½) / f − ½.
      const factor = rule.factor[axis]!;
      return { size: f.size, jump: f.jump / factor, start: f.start + ((1 - factor) / (2 * factor)) * f.jump };
    }
    case 'crop':
      return { ...f, start: f.start + rule.offset[axis]! * f.jump };
    case 'global':
      return windowed(f, positions, positions, 0);
  }
}

/** A window of `extent` input positions with a stride: r + (k − 1)·j, j·s, start + ((k − 1)/2 − padBefore)·j. */
function windowed(f: AxisField, extent: number, stride: number, padBefore: number): AxisField {
  return {
    size: f.size + (extent - 1) * f.jump,
    jump: f.jump * stride,
    start: f.start + ((extent - 1) / 2 - padBefore) * f.jump,
  };
}

/**
 * Output o of a transposed convolution sums inputs i with o = i·s + t − padBefore (t < k): at most
 * ⌈k / s⌉ neighbouring inputs, so the field grows by (⌈k / s⌉ − 1)·j while the jump shrinks to j / s.
 */
function transposed(f: AxisField, kernel: number, stride: number, padBefore: number): AxisField {
  return {
    size: f.size + (Math.ceil(kernel / stride) - 1) * f.jump,
    jump: f.jump / stride,
    start: f.start + ((padBefore - (kernel - 1) / 2) / stride) * f.jump,
  };
}

/** The smallest window covering every input's field, per network input; the jump is the coarsest. */
function union(inputs: readonly NodeField[]): NodeField {
  const bySource = new Map<number, SourceField[]>();
  for (const field of inputs) for (const source of field) bySource.set(source.input, [...(bySource.get(source.input) ?? []), source]);
  return [...bySource.entries()]
    .sort(([a], [b]) => a - b)
    .map(([input, sources]) => ({ input, axes: sources[0]!.axes.map((_, axis) => coverAxis(sources.map((s) => s.axes[axis]!))) }));
}

function coverAxis(fields: readonly AxisField[]): AxisField {
  const low = Math.min(...fields.map((f) => f.start - (f.size - 1) / 2));
  const high = Math.max(...fields.map((f) => f.start + (f.size - 1) / 2));
  return { size: high - low + 1, jump: Math.max(...fields.map((f) => f.jump)), start: (low + high) / 2 };
}
