import type { GnCode } from './codes.js';

/** One diagnostic shape for every stage (rustc/esbuild style): spans are offsets, printed as line:column late. */
export interface Span {
  readonly file: string;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset one past the last character. */
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Label {
  readonly span: Span;
  readonly label?: string;
}

export interface Diagnostic {
  readonly code: GnCode;
  readonly severity: Severity;
  readonly message: string;
  readonly primary: Label;
  readonly secondary?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
}

/** Checks report, never throw: every pass gets an `accept` sink. */
export type Accept = (d: Diagnostic) => void;

export interface DiagnosticExtra {
  readonly label?: string;
  readonly secondary?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
}

export function error(code: GnCode, message: string, span: Span, extra: DiagnosticExtra = {}): Diagnostic {
  const { label, ...rest } = extra;
  return { code, severity: 'error', message, primary: { span, label }, ...rest };
}

export function warning(code: GnCode, message: string, span: Span, extra: DiagnosticExtra = {}): Diagnostic {
  return { ...error(code, message, span, extra), severity: 'warning' };
}

/**
 * Sorted by position; a diagnostic repeated word for word at the same span (a block called twenty
 * times) comes once, and an unknown name used in several places is one error whose other uses are
 * secondary labels (one typo in a block's name must not give an error per call).
 */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = ds.filter((d) => {
    const key = `${d.code}\0${d.severity}\0${d.message}\0${d.primary.span.file}\0${d.primary.span.start}\0${d.primary.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return foldRepeatedUnknownNames(unique.sort(byPosition));
}

/** Unknown block or value, unknown name in an expression. */
const FOLDED_CODES = new Set(['GN0101', 'GN0201']);

function foldRepeatedUnknownNames(sorted: readonly Diagnostic[]): Diagnostic[] {
  const first = new Map<string, { index: number; others: Label[] }>();
  const kept: Diagnostic[] = [];
  for (const d of sorted) {
    if (!FOLDED_CODES.has(d.code)) {
      kept.push(d);
      continue;
    }
    const key = `${d.code}\0${d.message}`;
    const earlier = first.get(key);
    if (earlier) earlier.others.push({ span: d.primary.span, label: 'also used here' });
    else {
      first.set(key, { index: kept.length, others: [] });
      kept.push(d);
    }
  }
  for (const { index, others } of first.values()) {
    if (others.length === 0) continue;
    const d = kept[index]!;
    kept[index] = { ...d, secondary: [...(d.secondary ?? []), ...others.slice(0, 3)], notes: [...(d.notes ?? []), `used ${others.length + 1} times; each use is fixed with the name`] };
  }
  return kept;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.primary.span.file.localeCompare(b.primary.span.file) || a.primary.span.start - b.primary.span.start || a.code.localeCompare(b.code);
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
