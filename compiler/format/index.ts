import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseConcrete } from '../syntax/parse.js';
import { renderLines } from './align.js';
import { Printer } from './printer.js';
import { collectRoles } from './roles.js';

export interface FormatOptions {
  /** Pipelines longer than this wrap before a `->` (default 100). */
  readonly width?: number;
  /** Spaces per indentation level (default 2). */
  readonly indent?: number;
  /** Path named in the diagnostics of a file that does not parse. */
  readonly file?: string;
}

/** The formatted text, or why the text cannot be formatted (its syntax errors). */
export type FormatResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export const DEFAULT_WIDTH = 100;

/**
 * The one canonical layout of a `.gnet` file: two-space indentation, one statement per line, single
 * spaces around `->`, `=` and operators, comments where they were, at most one blank line, long
 * pipelines wrapped before a `->`. Only whitespace (and optional `;`) changes, so the meaning
 * cannot; formatting twice gives the same text. A file with syntax errors is left alone.
 */
export function formatSource(text: string, options: FormatOptions = {}): FormatResult {
  const parsed = parseConcrete(text, options.file ?? 'input.gnet');
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.cst || errors.length) return { ok: false, diagnostics: errors };
  const { groups } = parsed;
  const comments = [...(groups.comments ?? []), ...(groups.docs ?? [])].sort((a: IToken, b: IToken) => a.startOffset - b.startOffset);
  const printer = new Printer(text, parsed.tokens, comments, collectRoles(parsed.cst), {
    width: options.width ?? DEFAULT_WIDTH,
    indent: options.indent ?? 2,
  });
  const lines = printer.print();
  const formatted = lines.length ? renderLines(lines) + '\n' : '';
  return { ok: true, text: formatted, changed: formatted !== text };
}
