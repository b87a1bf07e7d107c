import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseConcrete } from '../syntax/parse.js';
import { renderLines } from './align.js';
import { bodyOpens, DocBuilder } from './build.js';
import { attachComments } from './comments.js';
import { layout } from './layout.js';

export interface FormatOptions {
  /** Lines longer than this wrap their argument lists and pipelines (default 100). */
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
 * The one canonical layout of a `.gnet` file for a width: two-space indentation, one statement per
 * line, single spaces around `->`, `=` and operators, shapes as `28 x 28 x 1`, comments where they
 * were (one before a body's `{` moves after it), at most one blank line between statements where
 * the source had one, argument lists, lists and pipelines wrapped by width alone. It depends on the
 * tokens, the comments and those blank lines, not on how the source broke its lines, so every
 * layout of a spec formats to the same text. Only whitespace, optional `;` and the way a shape is
 * written change, so the meaning cannot; formatting twice gives the same text. A file with syntax
 * errors is left alone.
 */
export function formatSource(text: string, options: FormatOptions = {}): FormatResult {
  const parsed = parseConcrete(text, options.file ?? 'input.gnet');
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.cst || errors.length) return { ok: false, diagnostics: errors };
  const { groups } = parsed;
  const comments = [...(groups.comments ?? []), ...(groups.docs ?? [])].sort((a: IToken, b: IToken) => a.startOffset - b.startOffset);
  const attached = attachComments(text, parsed.tokens, comments, bodyOpens(parsed.cst));
  const doc = new DocBuilder(attached, parsed.tokens).file(parsed.cst);
  const lines = layout(doc, { width: options.width ?? DEFAULT_WIDTH, indent: options.indent ?? 2 });
  const formatted = lines.length ? renderLines(lines) + '\n' : '';
  return { ok: true, text: formatted, changed: formatted !== text };
}
