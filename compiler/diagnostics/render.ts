import type { Diagnostic, Label } from './diagnostic.js';
import { lineColumn, lineEnd as endOfLine, lineStarts } from './position.js';

export interface RenderOptions {
  readonly color?: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * rustc-style text:
 *   error[GN0104]: message
 *     --> file:line:col
 *      |
 *   12 |   conv(…)
 *      |   ^^^^ label
 *      = note: …
 *      = help: …
 */
export function renderDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const sevColor = d.severity === 'error' ? '1;31' : d.severity === 'warning' ? '1;33' : '1;36';
  const lines = [`${paint(color, sevColor, `${d.severity}[${d.code}]`)}${paint(color, '1', `: ${d.message}`)}`];
  const text = sources.get(d.primary.span.file);
  const pos = text !== undefined ? lineColumn(text, d.primary.span.start) : { line: 1, column: 1 };
  const labels = [d.primary, ...(d.secondary ?? [])];
  const width = String(Math.max(...labels.map((l) => (sources.has(l.span.file) ? lineColumn(sources.get(l.span.file)!, l.span.start).line : 1)))).length;
  const gutter = ' '.repeat(width);
  lines.push(`${gutter}${paint(color, '34', '-->')} ${d.primary.span.file}:${pos.line}:${pos.column}`);
  for (const [i, label] of labels.entries()) {
    const src = sources.get(label.span.file);
    if (src === undefined) continue;
    if (label.span.file !== d.primary.span.file) lines.push(`${gutter}${paint(color, '34', '::>')} ${label.span.file}`);
    lines.push(...snippet(label, src, width, i === 0 ? '^' : '-', color, i === 0 ? sevColor : '34'));
  }
  for (const n of d.notes ?? []) lines.push(`${gutter} ${paint(color, '34', '=')} note: ${n}`);
  if (d.help) lines.push(`${gutter} ${paint(color, '34', '=')} help: ${d.help}`);
  return lines.join('\n');
}

function snippet(label: Label, text: string, width: number, mark: string, color: boolean, markColor: string): string[] {
  const starts = lineStarts(text);
  const { line, column } = lineColumn(text, label.span.start, starts);
  const lineStart = starts[line - 1]!;
  const lineEnd = endOfLine(text, line, starts);
  const source = text.slice(lineStart, lineEnd).replace(/\t/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
  const shown = source.length > 160 ? source.slice(0, 160) + '…' : source;
  const spanEnd = Math.min(label.span.end, lineEnd);
  const length = Math.max(1, Math.min(spanEnd - label.span.start, shown.length - column + 1));
  const bar = paint(color, '34', '|');
  return [
    `${' '.repeat(width)} ${bar}`,
    `${paint(color, '34', String(line).padStart(width))} ${bar} ${shown}`,
    `${' '.repeat(width)} ${bar} ${' '.repeat(column - 1)}${paint(color, markColor, mark.repeat(length))}${label.label ? ' ' + paint(color, markColor, label.label) : ''}`,
  ];
}

/** The `gnet check --format json` contract: positions as 1-based line and column. */
export function diagnosticToJSON(d: Diagnostic, sources: ReadonlyMap<string, string>) {
  const text = sources.get(d.primary.span.file) ?? '';
  const start = lineColumn(text, d.primary.span.start);
  const end = lineColumn(text, d.primary.span.end);
  return {
    code: d.code,
    severity: d.severity,
    file: d.primary.span.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: d.message,
    notes: [...(d.notes ?? []), ...(d.help ? [`help: ${d.help}`] : [])],
  };
}
