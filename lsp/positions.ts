/** Offsets (what compiler spans hold) ↔ LSP line/character; both count UTF-16 code units, as JS strings do. */
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../compiler/index.js';
import { lineStarts } from '../compiler/diagnostics/position.js';

export class LineMap {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo]! };
  }

  offset(position: Position): number {
    const line = Math.max(0, Math.min(position.line, this.starts.length - 1));
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return Math.min(this.starts[line]! + position.character, end);
  }

  range(span: { readonly start: number; readonly end: number }): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}

export const contains = (span: Span | { start: number; end: number }, offset: number): boolean => span.start <= offset && offset <= span.end;

export const sameSpan = (a: Span, b: Span): boolean => a.start === b.start && a.end === b.end && a.file === b.file;
