/**
 * Valid input sizes: which H×W (or D×H×W) near a requested size pass every shape rule (pool and stride
 * divisibility, kernels that fit, skips that line up). Each candidate re-runs shape inference on a
 * copy of the graph with one input's spatial size replaced, searching outward from the request.
 */
import { isFeatureMap, spatialOf } from '../blocks/feature-map.js';
import type { IRGraph, IRInput } from '../ir/ir.js';
import { inferShapes } from './shapes.js';

/** Spatial size of an input: [h, w] or [d, h, w]. */
export type Size = readonly number[];

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
 * A number asks for square (cubic on a volume) sizes n×n. A list searches every axis: candidates at
 * Chebyshev distance d from the request are tried before d + 1, the smallest total change first.
 * Returns null when the input does not exist, is not a feature map, or the list has the wrong length.
 */
export function validInputSizes(graph: IRGraph, near: number | Size, options: SizeOptions = {}): SizeSearch | null {
  const input = options.input === undefined ? graph.inputs[0] : graph.inputs.find((i) => i.name === options.input);
  if (!input || !isFeatureMap(input.shape)) return null;
  const rank = spatialOf(input.shape).length;
  const square = typeof near === 'number';
  const requested: Size = square ? Array.from({ length: rank }, () => near) : near;
  if (requested.length !== rank) return null;
  const maxDistance = options.maxDistance ?? (square ? 256 : 32);
  const passes = (size: Size) => size.every((n) => n >= 1) && shapesPass(graph, input, size);
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
    if (!isFeatureMap(input.shape)) continue;
    const spatial = spatialOf(input.shape);
    const found = validInputSizes(graph, spatial.every((n) => n === spatial[0]) ? spatial[0]! : spatial, { input: input.name });
    if (!found || found.fits) continue;
    const sizes = [found.below, found.above].filter((s): s is Size => s !== null).map((size) => size.join('×'));
    if (sizes.length === 0) continue;
    const nearest = sizes.length === 1 ? 'the nearest size that passes' : 'the nearest sizes that pass';
    return `input \`${input.name}\` ${sizes.join(' or ')} would work (${nearest} every pool and stride)`;
  }
  return undefined;
}

/** Candidates whose largest per-axis change is exactly d, on one side of the request (stable order: smallest total first). */
function ring(center: Size, d: number, direction: 1 | -1, square: boolean): Size[] {
  if (square) return [center.map((n) => n + direction * d)];
  return offsetsAt(center.length, d)
    .map((offset, order) => ({ offset, order }))
    .sort((a, b) => sum(a.offset) - sum(b.offset) || a.order - b.order)
    .map(({ offset }) => center.map((n, i) => n + direction * offset[i]!));
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Non-negative offsets per axis whose largest is exactly d; the first axis at d comes first (height before width). */
function offsetsAt(rank: number, d: number): number[][] {
  const all: number[][] = [[]];
  for (let axis = 0; axis < rank; axis++) all.splice(0, all.length, ...all.flatMap((prefix) => Array.from({ length: d + 1 }, (_, k) => [...prefix, k])));
  const atD = all.filter((o) => Math.max(...o) === d);
  const firstAtD = (o: readonly number[]) => o.indexOf(d);
  return atD.sort((a, b) => firstAtD(a) - firstAtD(b));
}

function shapesPass(graph: IRGraph, input: IRInput, size: Size): boolean {
  const inputs = graph.inputs.map((i) => (i === input ? { ...i, shape: [...size, ...i.shape.slice(size.length)] } : i));
  let failed = false;
  inferShapes({ ...graph, inputs }, (d) => (failed ||= d.severity === 'error'));
  return !failed;
}
