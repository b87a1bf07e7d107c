/**
 * Index arithmetic, one spatial axis at a time, that turns convolution gradients into forward
 * convolutions. Notation per axis: input length `size`, output length `outSize`, filter taps `k`,
 * stride `s`, dilation `d`, padding before the input `padBefore` (as computeConv2DInfo reports).
 */

/** Rows [start, start + length) of a tensor axis; rows outside the tensor read as zero. */
export interface AxisWindow {
  readonly start: number;
  readonly length: number;
}

/** How a window meets a tensor axis of `size` rows: the rows kept and the zeros added around them. */
export interface WindowCut {
  readonly from: number;
  readonly kept: number;
  readonly zerosBefore: number;
  readonly zerosAfter: number;
}

export function cutWindow(window: AxisWindow, size: number): WindowCut {
  const from = Math.min(Math.max(window.start, 0), size);
  const to = Math.min(Math.max(window.start + window.length, 0), size);
  const kept = Math.max(to - from, 0);
  const zerosBefore = kept === 0 ? window.length : from - window.start;
  return { from, kept, zerosBefore, zerosAfter: window.length - kept - zerosBefore };
}

/**
 * Filter gradient as a forward convolution: dW[a] = Σ_i x[a·d + i·s − padBefore] · dy[i] reads the
 * input window below with the output gradient as a filter of `outSize` taps at dilation `s`,
 * stepping by `d` between the `k` results.
 */
export function filterGradWindow(k: number, outSize: number, s: number, d: number, padBefore: number): AxisWindow {
  return { start: -padBefore, length: (k - 1) * d + (outSize - 1) * s + 1 };
}

/** One stride phase of a transposed convolution: the filter taps it uses and the dy window it reads. */
export interface Phase {
  /** Taps r, r + s, r + 2s, … of the filter; `taps` is 0 when r ≥ k (the phase is all zeros). */
  readonly offset: number;
  readonly taps: number;
  readonly window: AxisWindow;
}

export interface PhasePlan {
  readonly phases: readonly Phase[];
  /** Results per phase; interleaving the phases gives `count · s` rows. */
  readonly count: number;
  /** Where the input gradient starts in the interleaved rows. */
  readonly cropStart: number;
}

/**
 * Input gradient dx[h] = Σ_a dy[(h + padBefore − a·d) / s] · f[a] (terms with a whole quotient).
 * Rows with (h + padBefore) mod s = r form phase r: a stride-1 correlation of dy with the reversed
 * taps f[r], f[r + s], …, so no multiply touches an inserted zero. Needs s = 1 or d = 1, as tfjs does.
 */
export function transposedPlan(size: number, k: number, s: number, d: number, padBefore: number): PhasePlan {
  if (s > 1 && d > 1) throw new RangeError(`stride ${s} with dilation ${d}: one of them must be 1`);
  const first = Math.floor(padBefore / s);
  const count = Math.floor((padBefore + size - 1) / s) - first + 1;
  const phases = Array.from({ length: s }, (_, offset): Phase => {
    const taps = offset < k ? Math.ceil((k - offset) / s) : 0;
    const reach = Math.max(taps - 1, 0) * d;
    return { offset, taps, window: { start: first - reach, length: count + reach } };
  });
  return { phases, count, cropStart: padBefore - first * s };
}
