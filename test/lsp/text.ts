/** Positions in a text and edits applied to it, as a client does (shared by the language-server tests). */
import type { Position, TextEdit } from 'vscode-languageserver-protocol';
import { LineMap } from '../../lsp/positions.js';

/** The position of the `nth` occurrence of `needle` in `text`, `shift` characters in. */
export function pos(text: string, needle: string, shift = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  return new LineMap(text).position(at + shift);
}

/** Applies non-overlapping edits (from the last to the first, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineMap(text);
  const ranges = edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  for (let i = 1; i < ranges.length; i++) if (ranges[i]!.end > ranges[i - 1]!.start) throw new Error('overlapping edits');
  let out = text;
  for (const r of ranges) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}
