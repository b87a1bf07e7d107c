/**
 * A strided window (conv, pool, gauss) over the spatial axes of an image (height, width) or a volume
 * (depth, height, width): output size with its diagnostics (GN0303 kernel too large, GN0304 leftover
 * under round = exact), receptive-field rule and the padding argument tfjs ops take. Every rule is
 * per axis, so images and volumes share it.
 */
import type { Attrs } from '../ir/ir.js';
import type { Axes, Pair, RFRule, ShapeContext } from './block.js';
import { axes, padding, rounding } from './attr.js';
import { axisPadding, convOutputSize, effectiveKernel, type Padding, type Rounding, type WindowOutput } from './arith.js';
import { axisNames } from './feature-map.js';
import { alternatives, dims, paddingText } from './text.js';

export interface Window {
  readonly kernel: Axes;
  readonly stride: Axes;
  readonly dilation: Axes;
  readonly padding: Padding;
  readonly round: Rounding;
}

/** A window read from attributes for `rank` spatial axes; the stride and dilation names are the blocks' own. */
export function readWindow(attrs: Attrs, rank: number, options: { readonly stride?: Axes; readonly dilation?: boolean } = {}): Window {
  const dilation = options.dilation ? axes(attrs, 'dilation', rank) : Array.from({ length: rank }, () => 1);
  return { kernel: axes(attrs, 'size', rank), stride: options.stride ?? axes(attrs, 'stride', rank), dilation, padding: padding(attrs, rank), round: rounding(attrs) };
}

export function windowAxes(spatial: Axes, w: Window): readonly WindowOutput[] {
  return spatial.map((size, i) => convOutputSize(size, w.kernel[i]!, w.stride[i]!, axisPadding(w.padding, i), w.dilation[i]!, w.round));
}

/** Output spatial sizes, or null after reporting why the window does not fit the input. */
export function windowOutput(spatial: Axes, w: Window, ctx: ShapeContext): Axes | null {
  const outputs = windowAxes(spatial, w);
  if (!outputs.every((a) => a.fits)) {
    reportTooLarge(spatial, w, ctx);
    return null;
  }
  if (w.round === 'exact' && !outputs.every((a) => a.exact)) {
    reportLeftover(spatial, w, outputs, ctx);
    return null;
  }
  return outputs.map((a) => a.size);
}

function reportTooLarge(spatial: Axes, w: Window, ctx: ShapeContext): void {
  const extent = w.kernel.map((k, i) => effectiveKernel(k, w.dilation[i]));
  const dilated = extent.some((e, i) => e !== w.kernel[i]) ? ` (dilated to ${dims(extent)})` : '';
  const padded = spatial.map((size, i) => {
    const p = axisPadding(w.padding, i);
    return size + 2 * (typeof p === 'number' ? p : 0);
  });
  ctx.error('GN0303', `kernel ${dims(w.kernel)}${dilated} is larger than the padded input ${dims(padded)} (${paddingText(w.padding)})`, {
    help: 'use padding = same, a smaller kernel, or a larger input',
  });
}

function reportLeftover(spatial: Axes, w: Window, outputs: readonly WindowOutput[], ctx: ShapeContext): void {
  const names = axisNames(spatial.length);
  const bad = outputs.map((a, i) => (a.exact ? -1 : i)).filter((i) => i >= 0);
  const sizes = bad.map((i) => alternatives(names[i]!, outputs[i]!.nearestValid)).join(' and ');
  const what =
    w.padding === 'same'
      ? `stride ${dims(w.stride)} does not divide the input ${dims(spatial)}`
      : `${dims(w.kernel)} windows with stride ${dims(w.stride)} do not tile the input ${dims(spatial)} exactly`;
  // The solver's answer holds for the whole network; this layer's own alternatives may fail at the next pool.
  const works = ctx.inputSizes?.() ?? `input ${sizes} would work`;
  ctx.error('GN0304', `${what} (${paddingText(w.padding)}); ${works}`, {
    notes: bad.map((i) => `${names[i]}: ${leftoverArithmetic(spatial[i]!, w, i)}`),
    help: 'change the input size, or set round = floor to drop the leftover or round = ceil to pad it',
  });
}

function leftoverArithmetic(size: number, w: Window, i: number): string {
  const p = axisPadding(w.padding, i);
  if (p === 'same') return `${size} / ${w.stride[i]} = ${twoDecimals(size / w.stride[i]!)}`;
  const pad = p === 'valid' ? 0 : p;
  const extent = effectiveKernel(w.kernel[i]!, w.dilation[i]);
  return `(${size} + ${2 * pad} − ${extent}) / ${w.stride[i]} + 1 = ${twoDecimals((size + 2 * pad - extent) / w.stride[i]! + 1)}`;
}

const twoDecimals = (x: number): number => Math.round(x * 100) / 100;

export function windowRF(spatial: Axes, w: Window): RFRule {
  return { kind: 'window', kernel: w.kernel, stride: w.stride, dilation: w.dilation, padBefore: windowAxes(spatial, w).map((a) => a.padding[0]) };
}

/** Padding [before, after] per axis actually applied, or null for 'same' (left to the op) and for none. */
export function explicitPadding(spatial: Axes, w: Window): readonly Pair[] | null {
  if (w.padding === 'same') return null;
  const pads = windowAxes(spatial, w).map((a) => a.padding);
  return pads.every(([before, after]) => before === 0 && after === 0) ? null : pads;
}

/** Padding [before, after] per axis whatever the padding mode: what a 3-D runtime helper pads before a 'valid' op. */
export function appliedPadding(spatial: Axes, w: Window): readonly Pair[] {
  return windowAxes(spatial, w).map((a) => a.padding);
}

/** The `pad` argument of tf.conv2d / tf.maxPool / … as a literal: "same", "valid" or explicit NHWC pairs. */
export function tfPaddingLiteral(spatial: Axes, w: Window): string {
  const explicit = explicitPadding(spatial, w);
  if (explicit === null) return JSON.stringify(w.padding === 'same' ? 'same' : 'valid');
  return JSON.stringify([[0, 0], ...explicit, [0, 0]]);
}

/**
 * The input expression and padding for 2-D runtime helpers (rt.gaussConv2d, rt.groupedConv2d), which take
 * 'same' | 'valid' | [h, w] (symmetric). Asymmetric padding (ceil mode) is applied by rt.pad first.
 */
export function runtimePadding(input: string, spatial: Axes, w: Window): { readonly input: string; readonly padding: 'same' | 'valid' | Pair } {
  const explicit = explicitPadding(spatial, w);
  if (explicit === null) return { input, padding: w.padding === 'same' ? 'same' : 'valid' };
  const [[top, bottom], [left, right]] = explicit as [Pair, Pair];
  if (top === bottom && left === right) return { input, padding: [top, left] };
  return { input: `rt.pad(${input}, ${JSON.stringify(explicit)})`, padding: 'valid' };
}
