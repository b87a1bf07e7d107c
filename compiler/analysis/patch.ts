/**
 * A network on volumes trains on patches: its input is the patch. An output voxel whose receptive
 * field reaches past the patch sees zero padding where, in the whole volume, there was tissue, so it
 * learns from less context than it will have at prediction time (Bertels et al., "Convolutional neural
 * networks for medical image segmentation", figure 5: patch size against receptive field). Per
 * segmentation output: how many voxels see only the patch, and a warning (GN0320) when the receptive
 * field is larger than the patch along an axis, so that no voxel does.
 */
import { isFeatureMap, spatialOf } from '../blocks/feature-map.js';
import { warning, type Accept } from '../diagnostics/diagnostic.js';
import type { IRGraph } from '../ir/ir.js';
import { groupDigits } from './format.js';
import type { RFRule } from '../blocks/block.js';
import { blockOf, inputShapes } from './lookup.js';
import type { NodeField } from './receptive.js';
import type { Shapes } from './shapes.js';

export interface PatchCoverage {
  readonly output: string;
  /** The patch (network input) [D, H, W]. */
  readonly patch: readonly number[];
  /** The receptive field's size per axis. */
  readonly field: readonly number[];
  /** Output voxels that read no padding, however deep in the network, and all output voxels. */
  readonly inside: number;
  readonly total: number;
}

/** Per spatial axis, per position of a node's map: whether that position's value depends on padding. */
type Reach = readonly (readonly boolean[])[];

/**
 * Coverage of each volume-map output of a network whose first input is a volume; [] otherwise. Exact,
 * not from the field's size: each block's rule says which input positions an output position reads
 * (window, transposed window, upsampling, crop), axis by axis, and a position reads padding when one
 * of those lies outside its input or itself reads padding. (The field's size is the widest over
 * positions; next to an upsampling neighbouring voxels share one field, so counting by size alone
 * would be wrong there.)
 */
export function patchCoverage(graph: IRGraph, shapes: Shapes, fields: readonly NodeField[]): PatchCoverage[] {
  const input = graph.inputs[0];
  if (!input || input.shape.length !== 4) return [];
  const patch = input.shape.slice(0, 3);
  const reach = paddingReach(graph, shapes);
  return graph.outputs.flatMap((output) => {
    const shape = shapes[output.node];
    const source = fields[output.node]?.find((f) => f.input === input.node);
    const axes = reach[output.node];
    if (!shape || !isFeatureMap(shape) || shape.length !== 4 || !source || !axes) return [];
    const clean = axes.map((positions) => positions.filter((dirty) => !dirty).length);
    const total = spatialOf(shape).reduce((p, n) => p * n, 1);
    return [{ output: output.name, patch, field: source.axes.map((a) => a.size), inside: clean.reduce((p, n) => p * n, 1), total }];
  });
}

function paddingReach(graph: IRGraph, shapes: Shapes): (Reach | null)[] {
  const reach: (Reach | null)[] = [];
  for (const node of graph.nodes) {
    const shape = shapes[node.id];
    const sizes = shape && isFeatureMap(shape) ? spatialOf(shape) : null;
    if (node.op === 'input') {
      // Every input starts clean: padding enters where a block reads past a map's border.
      reach.push(sizes ? sizes.map((n) => new Array<boolean>(n).fill(false)) : null);
      continue;
    }
    const def = blockOf(node.op);
    const ins = inputShapes(node, shapes);
    const incoming = node.inputs.map((id) => reach[id] ?? null);
    if (!sizes || !def || !ins || incoming.some((r) => r === null)) {
      reach.push(null);
      continue;
    }
    const rule = def.receptiveField(ins, node.attrs);
    reach.push(sizes.map((size, axis) => Array.from({ length: size }, (_, o) => readsPadding(rule, node.attrs.mode === 'bilinear', incoming as Reach[], axis, o))));
  }
  return reach;
}

/** Whether output position `o` along `axis` reads a padded position or one that reads padding. */
function readsPadding(rule: RFRule, bilinear: boolean, inputs: readonly Reach[], axis: number, o: number): boolean {
  const line = inputs[0]![axis]!;
  const reads = (i: number) => i < 0 || i >= line.length || line[i]!;
  switch (rule.kind) {
    case 'identity':
      return reads(o);
    case 'merge':
      return inputs.some((r) => r[axis]![o] ?? true);
    case 'window': {
      const first = o * rule.stride[axis]! - rule.padBefore[axis]!;
      return Array.from({ length: rule.kernel[axis]! }, (_, t) => first + t * rule.dilation[axis]!).some(reads);
    }
    case 'transpose': {
      // Output o sums inputs i with o = i·s + t − padBefore; a missing i is a missing contribution.
      const [s, k, pad] = [rule.stride[axis]!, rule.kernel[axis]!, rule.padBefore[axis]!];
      return Array.from({ length: k }, (_, t) => o + pad - t).some((at) => at % s === 0 && reads(at / s));
    }
    case 'upsample': {
      const f = rule.factor[axis]!;
      if (!bilinear) return reads(Math.floor(o / f));
      // Half-pixel centres: the two nearest inputs, clamped (edge copies) where one is missing.
      const low = Math.floor((o + 0.5) / f - 0.5);
      return reads(low) || reads(low + 1);
    }
    case 'crop':
      return reads(o + rule.offset[axis]!);
    case 'global':
      return line.some((dirty) => dirty);
  }
}

export function warnFieldExceedsPatch(graph: IRGraph, coverage: readonly PatchCoverage[], accept: Accept): void {
  for (const c of coverage) {
    if (c.field.every((size, axis) => size <= c.patch[axis]!)) continue;
    const input = graph.inputs[0]!;
    accept(
      warning('GN0320', `network \`${graph.name}\`: the receptive field of output \`${c.output}\` (${c.field.join('×')}) is larger than the patch \`${input.name}\` (${c.patch.join('×')}): no output voxel sees only the patch, every one also sees zero padding`, graph.nodes[input.node]!.span, {
        label: 'the patch the network trains on',
        notes: [`${groupDigits(c.total)} output voxels, ${groupDigits(c.inside)} of them see only real data`],
        help: `enlarge the patch to at least ${c.field.map((size, axis) => Math.max(size, c.patch[axis]!)).join(' x ')} voxels, or give the network fewer or smaller layers`,
      }),
    );
  }
}

/** The report's line: "patch 32×32×32, receptive field 44×44×44: 0 of 32 768 output voxels of mask (0 %) see only the patch". */
export function coverageLine(c: PatchCoverage): string {
  const share = c.total === 0 ? 0 : (100 * c.inside) / c.total;
  return `Patch ${c.patch.join('×')}, receptive field ${c.field.join('×')}: ${groupDigits(c.inside)} of ${groupDigits(c.total)} voxels of ${c.output} (${share.toFixed(1)} %) see only the patch, ${groupDigits(c.total - c.inside)} also see padding`;
}
