/**
 * Agreement between a backend's results and cpu's: finite values within `tolerance` × the largest
 * magnitude of the reference tensor (so near-zero entries of a large tensor are not held to a
 * relative bound they cannot meet in float32), non-finite values identical.
 */
import type { Pass } from '../../../web/steps.js';

export const TOLERANCE = 1e-4;

export function tensorMismatch(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = TOLERANCE): string | undefined {
  if (got.length !== want.length) return `${got.length} values, cpu has ${want.length}`;
  let scale = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) scale = Math.max(scale, Math.abs(want[i]!));
  scale ||= 1;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (!Number.isFinite(g) || !Number.isFinite(w) || Math.abs(g - w) > tolerance * scale) {
      return `element ${i}: ${g} vs cpu ${w} (scale ${scale.toPrecision(3)}, relative error ${(Math.abs(g - w) / scale).toExponential(1)})`;
    }
  }
  return undefined;
}

/** Every output and gradient that differs, as "kind name: problem" lines. */
export function passMismatches(got: Pass, want: Pass, tolerance = TOLERANCE): string[] {
  const problems: string[] = [];
  for (const kind of ['outputs', 'gradients'] as const) {
    const names = new Set([...Object.keys(want[kind]), ...Object.keys(got[kind])]);
    for (const name of names) {
      const [g, w] = [got[kind][name], want[kind][name]];
      const problem = g === undefined || w === undefined ? `present on only one backend` : tensorMismatch(g, w, tolerance);
      if (problem !== undefined) problems.push(`${kind === 'outputs' ? 'output' : 'gradient of'} ${name}: ${problem}`);
    }
  }
  return problems;
}

/** The largest relative difference between two loss curves, step by step. */
export function largestLossDifference(got: readonly number[], want: readonly number[]): number {
  if (got.length !== want.length) return Infinity;
  return Math.max(0, ...want.map((w, i) => (Number.isFinite(got[i]) ? Math.abs(got[i]! - w) / Math.max(Math.abs(w), 1e-12) : Infinity)));
}
