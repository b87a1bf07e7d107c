/**
 * Valid input sizes: which H×W near a requested size pass every shape rule (pool and stride
 * divisibility, kernels that fit, skips that line up). Each candidate re-runs shape inference on a
 * copy of the graph with one input's spatial size replaced, searching outward from the request.
 */
import type { IRGraph, IRInput } from '../ir/ir.js';
import { inferShapes } from './shapes.js';

export type Size = readonly [number, number];

export interface SizeOptions {
  /** Which input to resize (default: the first); the other inputs keep their declared shapes. */
  readonly input?: string;
  /** How far to search on each side, in pixels per axis (default 256 for square, 32 per axis). */
  readonly maxDistance?: number;
}

export interface SizeSearch {
  readonly input: string;
  readonly requested: Size;
  /** The requested size itself passes. */
  readonly fits: boolean;
  /** Nearest passing size strictly below / above the request; null when none within the search distance. */
  readonly below: Size | null;
  readonly above: Size | null;
}

/**
 * A number asks for square sizes (n×n). A pair [h, w] searches both axes: candidates at Chebyshev
 * distance d from the request are tried before d + 1, the smallest total change first.
 * Returns null when the input does not exist or is not a feature map.
 */
export function validInputSizes(graph: IRGraph, near: number | Size, options: SizeOptions = {}): SizeSearch | null {
  const input = options.input === undefined ? graph.inputs[0] : graph.inputs.find((i) => i.name === options.input);
  if (!input || input.shape.length < 3) return null;
  const square = typeof near === 'number';
  const requested: Size = square ? [near, near] : near;
  const maxDistance = options.maxDistance ?? (square ? 256 : 32);
  const passes = (size: Size) => size[0] >= 1 && size[1] >= 1 && shapesPass(graph, input, size);
  const search = (direction: 1 | -1): Size | null => {
    for (let d = 1; d <= maxDistance; d++) {
      const found = ring(requested, d, direction, square).find(passes);
      if (found) return found;
    }
    return null;
  };
  return { input: input.name, requested, fits: passes(requested), below: search(-1), above: search(1) };
}

/**
 * "input `image` 8×8 would work (…)": the sizes nearest each declared input that make the whole
 * network pass, tried input by input; undefined when no input size within reach does.
 */
export function describeValidInputs(graph: IRGraph): string | undefined {
  for (const input of graph.inputs) {
    if (input.shape.length < 3) continue;
    const [h, w] = input.shape as [number, number];
    const found = validInputSizes(graph, h === w ? h : [h, w], { input: input.name });
    if (!found || found.fits) continue;
    const sizes = [found.below, found.above].filter((s): s is Size => s !== null).map(([a, b]) => `${a}×${b}`);
    if (sizes.length === 0) continue;
    const nearest = sizes.length === 1 ? 'the nearest size that passes' : 'the nearest sizes that pass';
    return `input \`${input.name}\` ${sizes.join(' or ')} would work (${nearest} every pool and stride)`;
  }
  return undefined;
}

/** Candidates whose largest per-axis change is exactly d, on one side of the request. */
function ring(center: Size, d: number, direction: 1 | -1, square: boolean): Size[] {
  if (square) return [[center[0] + direction * d, center[1] + direction * d]];
  const offsets: [number, number][] = [];
  for (let other = 0; other <= d; other++) {
    offsets.push([d, other]);
    if (other !== d) offsets.push([other, d]);
  }
  return offsets
    .sort((a, b) => a[0] + a[1] - (b[0] + b[1]))
    .map(([dh, dw]) => [center[0] + direction * dh, center[1] + direction * dw] as const);
}

function shapesPass(graph: IRGraph, input: IRInput, [h, w]: Size): boolean {
  const inputs = graph.inputs.map((i) => (i === input ? { ...i, shape: [h, w, ...i.shape.slice(2)] } : i));
  let failed = false;
  inferShapes({ ...graph, inputs }, (d) => (failed ||= d.severity === 'error'));
  return !failed;
}
