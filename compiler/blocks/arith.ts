/**
 * Window arithmetic shared by shape inference, receptive field, cost, the input-size solver and codegen,
 * so that no pass re-derives it. Every function works on one spatial axis and is pure.
 *
 * Conventions (TensorFlow for 'same', PyTorch for explicit padding and ceil mode):
 * - 'same': out = ceil(in / stride); the padding total is split with the smaller half before.
 * - explicit p (and 'valid' = 0): p zeros on each side; out = (in + 2p − effKernel) / stride + 1.
 * - round 'floor' drops a leftover; 'ceil' adds a last window when it starts inside the input or the
 *   leading padding (PyTorch ceil_mode=True); 'exact' computes like floor and reports `exact: false`.
 */
import type { Axes, Pair } from './block.js';

/** Padding of one axis: TF 'same', none, or an explicit amount on each side. */
export type AxisPadding = 'same' | 'valid' | number;
/** Padding of a window: TF 'same', none, or zeros on each side of every spatial axis. */
export type Padding = 'same' | 'valid' | Axes;
export type Rounding = 'exact' | 'floor' | 'ceil';

export function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Extent of a dilated kernel: a 3-tap kernel with dilation 2 spans 5 pixels. */
export function effectiveKernel(kernel: number, dilation = 1): number {
  return (kernel - 1) * dilation + 1;
}

/** TF 'same' padding [before, after] for one axis; the smaller half goes before. */
export function samePadding(size: number, kernel: number, stride: number, dilation = 1): Pair {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The padding of one spatial axis (0 = the first: height, or depth on a volume). */
export function axisPadding(padding: Padding, axis: number): AxisPadding {
  return typeof padding === 'string' ? padding : padding[axis]!;
}

export interface WindowOutput {
  /** Output length (floor for 'exact'); less than 1 when the kernel does not fit. */
  readonly size: number;
  /** The windows tile the (padded) input with nothing left over. */
  readonly exact: boolean;
  /** The (dilated) kernel fits inside the padded input. */
  readonly fits: boolean;
  /** Padding actually applied [before, after], including the extra trailing padding of ceil mode. */
  readonly padding: Pair;
  /** Input lengths that would tile exactly, nearest at or below and at or above (null: none below). */
  readonly nearestValid: readonly [number | null, number];
}

/** Output length of a strided window (conv or pool) over one axis. */
export function convOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: AxisPadding,
  dilation = 1,
  round: Rounding = 'exact',
): WindowOutput {
  const nearestValid = nearestValidInputs(size, kernel, stride, padding, dilation);
  if (padding === 'same') {
    return { size: Math.ceil(size / stride), exact: size % stride === 0, fits: true, padding: samePadding(size, kernel, stride, dilation), nearestValid };
  }
  const pad = padding === 'valid' ? 0 : padding;
  const effective = effectiveKernel(kernel, dilation);
  const span = size + 2 * pad - effective;
  const out = round === 'ceil' ? ceilModeOutput(size, effective, stride, pad) : Math.floor(span / stride) + 1;
  const after = Math.max(pad, (out - 1) * stride + effective - size - pad);
  return { size: out, exact: span >= 0 && span % stride === 0, fits: span >= 0, padding: [pad, after], nearestValid };
}

/** PyTorch ceil_mode: one more window for a leftover, unless that window would start in the trailing padding. */
function ceilModeOutput(size: number, effective: number, stride: number, pad: number): number {
  const out = Math.ceil((size + 2 * pad - effective) / stride) + 1;
  return (out - 1) * stride >= size + pad ? out - 1 : out;
}

/** Input lengths nearest to `size` (at or below, at or above) whose windows tile exactly. */
export function nearestValidInputs(
  size: number,
  kernel: number,
  stride: number,
  padding: AxisPadding,
  dilation = 1,
): readonly [number | null, number] {
  if (padding === 'same') {
    const below = Math.floor(size / stride) * stride;
    return [below >= 1 ? below : null, Math.ceil(size / stride) * stride];
  }
  const pad = padding === 'valid' ? 0 : padding;
  const span = size + 2 * pad - effectiveKernel(kernel, dilation);
  if (span < 0) return [null, size - span];
  const leftover = span % stride;
  const below = size - leftover;
  return [below >= 1 ? below : null, leftover === 0 ? size : size + stride - leftover];
}

/** Output length of a transposed convolution (Keras/TF for 'same', PyTorch for explicit padding). */
export function transposeOutputSize(size: number, kernel: number, stride: number, padding: AxisPadding): number {
  if (padding === 'same') return size * stride;
  const pad = padding === 'valid' ? 0 : padding;
  return (size - 1) * stride + kernel - 2 * pad;
}

/** Padding before the first row of the forward convolution a transposed convolution inverts. */
export function transposePadBefore(kernel: number, stride: number, padding: AxisPadding): number {
  if (padding === 'same') return Math.floor(Math.max(kernel - stride, 0) / 2);
  return padding === 'valid' ? 0 : padding;
}
