/**
 * Counts are JavaScript numbers: exact integers only up to 2^53. A total past that is rounded, and
 * a budget judged on it may be off, so it is a warning (GN0503) rather than a silent figure.
 */
import { warning, type Accept } from '../diagnostics/diagnostic.js';
import type { IRGraph } from '../ir/ir.js';
import { groupDigits } from './format.js';

const LABELS = { trainable: 'trainable parameters', nonTrainable: 'non-trainable parameters', macs: 'multiply-adds', activationBytes: 'activation bytes' } as const;

export function warnInexactTotals(graph: IRGraph, totals: Readonly<Record<keyof typeof LABELS, number>>, accept: Accept): void {
  const over = (Object.keys(LABELS) as (keyof typeof LABELS)[]).filter((k) => !(totals[k] <= Number.MAX_SAFE_INTEGER));
  if (over.length === 0) return;
  accept(warning('GN0503', `network \`${graph.name}\`: ${over.map((k) => `${LABELS[k]} (${totals[k].toExponential(3)})`).join(', ')} exceed 2^53, so the totals and budgets are not exact`, graph.span, {
    notes: [`integers are exact up to ${groupDigits(Number.MAX_SAFE_INTEGER)}`],
    help: 'this is far beyond any trainable network: check the input size and the channel counts',
  }));
}
