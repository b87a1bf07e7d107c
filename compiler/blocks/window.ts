/**
 * A strided window (conv, pool, gauss) over the two spatial axes: output size with its diagnostics
 * (GN0303 kernel too large, GN0304 leftover under round = exact), receptive-field rule and the
 * padding argument tfjs ops take.
 */
import type { Pair, RFRule, ShapeContext } from './block.js';
import { axisPadding, convOutputSize, effectiveKernel, type Padding, type Rounding, type WindowOutput } from './arith.js';
import { alternatives, dims, paddingText } from './text.js';

export interface Window {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: Padding;
  readonly round: Rounding;
}

const AXES = ['height', 'width'] as const;

export function windowAxes(hw: Pair, w: Window): readonly [WindowOutput, WindowOutput] {
  const axis = (i: 0 | 1) => convOutputSize(hw[i], w.kernel[i], w.stride[i], axisPadding(w.padding, i), w.dilation[i], w.round);
  return [axis(0), axis(1)];
}

/** Output [H, W], or null after reporting why the window does not fit the input. */
export function windowOutput(hw: Pair, w: Window, ctx: ShapeContext): Pair | null {
  const axes = windowAxes(hw, w);
  if (!axes.every((a) => a.fits)) {
    reportTooLarge(hw, w, ctx);
    return null;
  }
  if (w.round === 'exact' && !axes.every((a) => a.exact)) {
    reportLeftover(hw, w, axes, ctx);
    return null;
  }
  return [axes[0].size, axes[1].size];
}

function reportTooLarge(hw: Pair, w: Window, ctx: ShapeContext): void {
  const extent: Pair = [effectiveKernel(w.kernel[0], w.dilation[0]), effectiveKernel(w.kernel[1], w.dilation[1])];
  const dilated = extent[0] !== w.kernel[0] || extent[1] !== w.kernel[1] ? ` (dilated to ${dims(extent)})` : '';
  const padded = hw.map((size, i) => {
    const p = axisPadding(w.padding, i as 0 | 1);
    return size + 2 * (typeof p === 'number' ? p : 0);
  });
  ctx.error('GN0303', `kernel ${dims(w.kernel)}${dilated} is larger than the padded input ${dims(padded)} (${paddingText(w.padding)})`, {
    help: 'use padding = same, a smaller kernel, or a larger input',
  });
}

function reportLeftover(hw: Pair, w: Window, axes: readonly [WindowOutput, WindowOutput], ctx: ShapeContext): void {
  const bad = ([0, 1] as const).filter((i) => !axes[i].exact);
  const sizes = bad.map((i) => alternatives(`${AXES[i]}`, axes[i].nearestValid)).join(' and ');
  const what =
    w.padding === 'same'
      ? `stride ${dims(w.stride)} does not divide the input ${dims(hw)}`
      : `${dims(w.kernel)} windows with stride ${dims(w.stride)} do not tile the input ${dims(hw)} exactly`;
  // The solver's answer holds for the whole network; this layer's own alternatives may fail at the next pool.
  const works = ctx.inputSizes?.() ?? `input ${sizes} would work`;
  ctx.error('GN0304', `${what} (${paddingText(w.padding)}); ${works}`, {
    notes: bad.map((i) => `${AXES[i]}: ${leftoverArithmetic(hw[i], w, i)}`),
    help: 'change the input size, or set round = floor to drop the leftover or round = ceil to pad it',
  });
}

function leftoverArithmetic(size: number, w: Window, i: 0 | 1): string {
  const p = axisPadding(w.padding, i);
  if (p === 'same') return `${size} / ${w.stride[i]} = ${twoDecimals(size / w.stride[i])}`;
  const pad = p === 'valid' ? 0 : p;
  const extent = effectiveKernel(w.kernel[i], w.dilation[i]);
  return `(${size} + ${2 * pad} − ${extent}) / ${w.stride[i]} + 1 = ${twoDecimals((size + 2 * pad - extent) / w.stride[i] + 1)}`;
}

const twoDecimals = (x: number): number => Math.round(x * 100) / 100;

export function windowRF(hw: Pair, w: Window): RFRule {
  const [h, v] = windowAxes(hw, w);
  return { kind: 'window', kernel: w.kernel, stride: w.stride, dilation: w.dilation, padBefore: [h.padding[0], v.padding[0]] };
}

/** Padding [[top, bottom], [left, right]] actually applied, or null for 'same' (left to the op) and for none. */
export function explicitPadding(hw: Pair, w: Window): readonly [Pair, Pair] | null {
  if (w.padding === 'same') return null;
  const [h, v] = windowAxes(hw, w);
  return [...h.padding, ...v.padding].every((p) => p === 0) ? null : [h.padding, v.padding];
}

/** The `pad` argument of tf.conv2d / tf.maxPool / … as a literal: "same", "valid" or explicit NHWC pairs. */
export function tfPaddingLiteral(hw: Pair, w: Window): string {
  const explicit = explicitPadding(hw, w);
  if (explicit === null) return JSON.stringify(w.padding === 'same' ? 'same' : 'valid');
  return JSON.stringify([[0, 0], ...explicit, [0, 0]]);
}

/**
 * The input expression and padding for runtime helpers (rt.gaussConv2d, rt.groupedConv2d), which take
 * 'same' | 'valid' | [h, w] (symmetric). Asymmetric padding (ceil mode) is applied by rt.pad first.
 */
export function runtimePadding(input: string, hw: Pair, w: Window): { readonly input: string; readonly padding: 'same' | 'valid' | Pair } {
  const explicit = explicitPadding(hw, w);
  if (explicit === null) return { input, padding: w.padding === 'same' ? 'same' : 'valid' };
  const [[top, bottom], [left, right]] = explicit;
  if (top === bottom && left === right) return { input, padding: [top, left] };
  return { input: `rt.pad(${input}, ${JSON.stringify(explicit)})`, padding: 'valid' };
}
