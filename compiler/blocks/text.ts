/** Small formatting helpers for diagnostics and report details. */
import type { Shape } from '../ir/ir.js';
import type { Axes } from './block.js';
import type { Padding } from './arith.js';

/** "7×7", "3×5", "32×32×16". */
export function dims(values: readonly number[]): string {
  return values.join('×');
}

/** A shape as users read it: "32×32×16" for maps, "a vector of 120" for vectors. */
export function shapeText(shape: Shape): string {
  return shape.length === 1 ? `a vector of ${shape[0]}` : dims(shape);
}

export function paddingText(padding: Padding): string {
  if (typeof padding === 'string') return `${padding} padding`;
  return allEqual(padding) ? `padding ${padding[0]}` : `padding ${dims(padding)}`;
}

const allEqual = (values: Axes): boolean => values.every((v) => v === values[0]);

/** How axes are written in a spec: `5` when every axis agrees, `[5, 7]` otherwise. */
export function axesSource(value: Axes): string {
  return allEqual(value) ? `${value[0]}` : `[${value.join(', ')}]`;
}

/** 25088 → "25 088" (the reports' thousands separator). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** "height 32 or 34", "width 7" */
export function alternatives(noun: string, options: readonly (number | null)[]): string {
  const distinct = [...new Set(options.filter((o): o is number => o !== null))];
  return `${noun}${distinct.length > 1 ? 's' : ''} ${distinct.join(' or ')}`;
}
