/**
 * Compute and memory: multiply-adds per node (each block's own formula) and activation memory.
 *
 * Two memory figures, both float32 at a batch size:
 * - `activationBytes` sums every node's output, inputs included. Training keeps all of them for the
 *   backward pass, so this is what the `memory` budget checks.
 * - `peakLiveBytes` is the most held at once by a forward pass (inference) that frees each value
 *   after its last consumer, running the nodes in their topological order.
 */
import { product } from '../blocks/arith.js';
import type { IRGraph } from '../ir/ir.js';
import { blockOf, inputShapes } from './lookup.js';
import type { Shapes } from './shapes.js';

export const BYTES_PER_VALUE = 4;

export function nodeMacs(graph: IRGraph, shapes: Shapes): number[] {
  return graph.nodes.map((node) => {
    const def = blockOf(node.op);
    const ins = inputShapes(node, shapes);
    const out = shapes[node.id];
    return def && ins && out ? def.macs(ins, node.attrs, out) : 0;
  });
}

/** Output bytes of every node at `batch` examples; unknown shapes count zero. */
export function activationBytes(shapes: Shapes, batch: number): number[] {
  return shapes.map((shape) => (shape ? product(shape) * BYTES_PER_VALUE * batch : 0));
}

export function peakLiveBytes(graph: IRGraph, bytes: readonly number[]): number {
  const end = graph.nodes.length;
  const lastUse = graph.nodes.map((node) => node.id);
  for (const node of graph.nodes) for (const input of node.inputs) lastUse[input] = Math.max(lastUse[input], node.id);
  for (const output of graph.outputs) lastUse[output.node] = end;
  const freedAfter = new Array<number>(end + 1).fill(0);
  lastUse.forEach((step, id) => (freedAfter[step] += bytes[id]));
  let live = 0;
  let peak = 0;
  for (let step = 0; step < end; step++) {
    live += bytes[step];
    peak = Math.max(peak, live);
    live -= freedAfter[step];
  }
  return peak;
}
