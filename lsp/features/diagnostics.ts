/** Compiler diagnostics → LSP diagnostics: every code, secondary labels as related information. */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../../compiler/index.js';
import { LineMap } from '../positions.js';
import { pathToUri } from '../uri.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information } as const;

/** Line maps of the other files that related spans point into. */
export type LinesOf = (path: string) => LineMap | undefined;

export function toLspDiagnostic(d: Diagnostic, lines: LineMap, linesOf: LinesOf): LspDiagnostic {
  const message = [d.message, ...(d.primary.label ? [d.primary.label] : []), ...(d.notes ?? []).map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])];
  const related = (d.secondary ?? []).flatMap((label) => {
    const map = label.span.file === d.primary.span.file ? lines : linesOf(label.span.file);
    return map ? [{ location: { uri: pathToUri(label.span.file), range: map.range(label.span) }, message: label.label ?? 'related' }] : [];
  });
  return {
    range: lines.range(d.primary.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'gnet',
    message: message.join('\n'),
    ...(related.length ? { relatedInformation: related } : {}),
    // Kept for code actions: the structured help, not the rendered text.
    data: { help: d.help, file: d.primary.span.file, start: d.primary.span.start, end: d.primary.span.end },
  };
}

/** The diagnostics of one file: its own analysis, plus what the analyses of open importers found inside it. */
export function diagnosticsFor(path: string, own: readonly Diagnostic[], fromImporters: readonly (readonly Diagnostic[])[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const list of [own, ...fromImporters]) {
    for (const d of list) {
      if (d.primary.span.file !== path) continue;
      const k = `${d.code}:${d.primary.span.start}:${d.primary.span.end}:${d.message}`;
      if (!seen.has(k)) seen.add(k), out.push(d);
    }
  }
  return out;
}
