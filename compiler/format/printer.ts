import type { IToken } from 'chevrotain';
import type { PipelineInfo, Roles } from './roles.js';

export interface LayoutOptions {
  /** Lines longer than this wrap their pipelines before a `->`. */
  readonly width: number;
  /** Spaces per indentation level. */
  readonly indent: number;
}

/** One output line: indentation, code, and a trailing line comment (aligned later). */
export interface Line {
  readonly indent: number;
  code: string;
  comment?: string;
}

const TIGHT_BEFORE = new Set(['RParen', 'RBracket', 'Comma', 'Semicolon', 'Colon', 'DotDot']);
const TIGHT_AFTER = new Set(['LParen', 'LBracket', 'DotDot']);
const OPENING = new Set(['LParen', 'LBracket', 'LCurly']);
const CLOSING = new Set(['RParen', 'RBracket', 'RCurly']);

/** Line breaks in a stretch of source, whatever the convention (\n, \r\n, a lone \r). */
export const countBreaks = (s: string): number => s.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Lays tokens and comments out as lines. Only whitespace changes (and optional `;` go), so the
 * token sequence, and with it the meaning, is what the parser read. What the user decided stays:
 * comments where they were, a blank line between statements (at most one), a line break before
 * or after a `->`. Everything else is decided here.
 */
export class Printer {
  private readonly lines: Line[] = [];
  private cur: Line | undefined;
  private level = 0;
  private stmtIndent = 0;
  private pipe: { readonly info: PipelineInfo; readonly contCol: number } | undefined;
  private lastDecl: 'import' | 'network' | 'block' | 'experiment' | undefined;
  /** The blank line forced between top-level declarations is already placed. */
  private declGapDone = true;
  /** Previous emitted item: a token (by index) or a comment. */
  private prevToken: IToken | undefined;
  private prevWasComment = false;
  private prevEnd = 0;
  private readonly index = new Map<number, number>();
  /** Columns just inside each open `(`, `[` (and import `{`): where broken argument lists continue. */
  private readonly brackets: number[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: readonly IToken[],
    private readonly comments: readonly IToken[],
    private readonly roles: Roles,
    private readonly options: LayoutOptions,
  ) {
    tokens.forEach((t, i) => this.index.set(t.startOffset, i));
  }

  print(): Line[] {
    let c = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      while (c < this.comments.length && this.comments[c]!.startOffset < t.startOffset) this.comment(this.comments[c++]!, t);
      this.token(t, i);
    }
    while (c < this.comments.length) this.comment(this.comments[c++]!, undefined);
    if (this.cur) this.lines.push(this.cur);
    return this.lines;
  }

  private get width(): number {
    return this.cur ? this.cur.indent + this.cur.code.length : 0;
  }

  private newline(indent: number, blank: boolean): void {
    if (this.cur) {
      this.lines.push(this.cur);
      if (blank) this.lines.push({ indent: 0, code: '' });
    }
    this.cur = { indent, code: '' };
  }

  private append(s: string, space: boolean): void {
    if (!this.cur) this.cur = { indent: 0, code: '' };
    this.cur.code += (space && this.cur.code ? ' ' : '') + s;
  }

  private breaksBefore(offset: number): number {
    return countBreaks(this.text.slice(this.prevEnd, offset));
  }

  /** Continuation lines of a statement: inside brackets under the first argument, else under the pipeline's first `->`, else one level deeper. */
  private contIndent(): number {
    return this.brackets.at(-1) ?? this.pipe?.contCol ?? this.stmtIndent + this.options.indent;
  }

  private comment(c: IToken, next: IToken | undefined): void {
    const breaks = this.breaksBefore(c.startOffset);
    const text = c.image.replace(/[ \t]+$/, '');
    const isLine = c.tokenType.name !== 'BlockComment';
    if (breaks > 0 || !this.cur) {
      const afterOpen = this.prevToken !== undefined && !this.prevWasComment && this.roles.open.has(this.prevToken.startOffset);
      const nextStarts = next === undefined || this.roles.close.has(next.startOffset) || this.roles.stmtStart.has(next.startOffset) || this.roles.declStart.has(next.startOffset);
      let blank = breaks >= 2 && !afterOpen;
      if (next && this.roles.declStart.has(next.startOffset) && !this.declGapDone) {
        blank ||= this.wantsDeclGap(next);
        this.declGapDone = true;
      }
      this.newline(nextStarts ? this.level * this.options.indent : this.contIndent(), blank);
      this.cur!.code = text;
    } else if (isLine) {
      this.cur.comment = text;
    } else {
      this.append(text, true);
    }
    this.prevWasComment = true;
    this.prevEnd = c.endOffset! + 1;
  }

  private wantsDeclGap(next: IToken): boolean {
    const kind = this.roles.declStart.get(next.startOffset);
    return this.lastDecl !== undefined && (kind !== 'import' || this.lastDecl !== 'import');
  }

  private token(t: IToken, i: number): void {
    const at = t.startOffset;
    const breaks = this.breaksBefore(at);
    const roles = this.roles;
    const forced = this.prevWasComment && breaks > 0;
    const afterOpen = this.prevToken !== undefined && !this.prevWasComment && roles.open.has(this.prevToken.startOffset);

    if (roles.semicolons.has(at) && !this.semicolonNeeded(i)) {
      return; // optional terminator: the line break says it
    }
    const decl = roles.declStart.get(at);
    if (decl) {
      let blank = breaks >= 2 && this.cur !== undefined;
      if (!this.declGapDone) blank ||= this.wantsDeclGap(t);
      this.newline(0, blank);
      this.lastDecl = decl;
      this.declGapDone = false;
      this.stmtIndent = 0;
      this.pipe = undefined;
    } else if (roles.stmtStart.has(at)) {
      this.newline(this.level * this.options.indent, breaks >= 2 && !afterOpen);
      this.stmtIndent = this.level * this.options.indent;
      this.pipe = undefined;
    } else if (roles.close.has(at)) {
      this.level--;
      this.pipe = undefined;
      if (afterOpen) this.append('', false);
      else this.newline(this.level * this.options.indent, false);
    } else if (roles.arrows.has(at)) {
      this.arrow(t, forced);
    } else if (forced || (this.prevToken?.tokenType.name === 'Comma' && breaks > 0)) {
      this.newline(this.contIndent(), false); // the user's break after a `,` stays
    } else {
      this.append('', this.spaceBefore(t));
    }
    this.append(t.image, false);
    if (roles.open.has(at)) this.level++;
    else if (OPENING.has(t.tokenType.name)) this.brackets.push(this.width);
    else if (CLOSING.has(t.tokenType.name) && !roles.close.has(at)) this.brackets.pop();
    this.prevToken = t;
    this.prevWasComment = false;
    this.prevEnd = t.endOffset! + 1;
  }

  /** `budget … <= 30k; at = …` and `input a: 8 x 8; x …` need their `;`; elsewhere it is optional. */
  private semicolonNeeded(i: number): boolean {
    const next = this.tokens[i + 1];
    return next !== undefined && (next.image === 'at' || next.image === 'x');
  }

  private spaceBefore(t: IToken): boolean {
    const prev = this.prevToken;
    if (!prev || !this.cur?.code) return false;
    const name = t.tokenType.name;
    if (TIGHT_BEFORE.has(name)) return false;
    if (TIGHT_AFTER.has(prev.tokenType.name)) return false;
    if (name === 'LParen' && this.roles.hug.has(t.startOffset)) return false;
    if (this.roles.prefix.has(prev.startOffset)) return false;
    if (name === 'RCurly' && prev.tokenType.name === 'LCurly') return false;
    return true;
  }

  /** A `->`: kept on the line while the pipeline fits, else wrapped, aligned under the first `->`. */
  private arrow(t: IToken, forced: boolean): void {
    const { info, k } = this.roles.arrows.get(t.startOffset)!;
    const { width, indent } = this.options;
    if (k === 0 || this.pipe?.info !== info) {
      const col = this.width + 1;
      const wraps = forced || info.arrows.some((a) => this.userBreakAround(a)) || this.width + this.flatWidth(t.startOffset, info.last) > width;
      const wrapFirst = wraps && (forced || this.userBreakAround(t.startOffset) || col > width / 2 || col + this.segmentWidth(info, 0) > width);
      const contCol = wrapFirst ? this.stmtIndent + indent : col;
      this.pipe = { info, contCol };
      if (wrapFirst) this.newline(contCol, false);
      else this.append('', true);
      return;
    }
    const contCol = this.pipe.contCol;
    const wrap = forced || this.userBreakAround(t.startOffset) || this.width + 1 + this.segmentWidth(info, k) > width;
    if (wrap && this.width > contCol) this.newline(contCol, false);
    else this.append('', true);
  }

  /** The user broke the line right before or right after this `->`. */
  private userBreakAround(offset: number): boolean {
    const i = this.index.get(offset)!;
    const before = this.tokens[i - 1];
    const after = this.tokens[i + 1];
    const gapBefore = before ? this.text.slice(before.endOffset! + 1, offset) : '';
    const gapAfter = after ? this.text.slice(offset + 2, after.startOffset) : '';
    return countBreaks(gapBefore) + countBreaks(gapAfter) > 0;
  }

  /** Width of stage k of a pipeline printed flat, from its `->` up to the next `->`. */
  private segmentWidth(info: PipelineInfo, k: number): number {
    const end = k + 1 < info.arrows.length ? this.tokens[this.index.get(info.arrows[k + 1]!)! - 1]!.startOffset : info.last;
    return this.flatWidth(info.arrows[k]!, end) - 1;
  }

  /** Width of the tokens from `from` to `to` (start offsets, inclusive) on one line, with the space before the first. */
  private flatWidth(from: number, to: number): number {
    let w = 0;
    let prev: IToken | undefined;
    for (let i = this.index.get(from)!; i < this.tokens.length && this.tokens[i]!.startOffset <= to; i++) {
      const t = this.tokens[i]!;
      const tight = prev !== undefined && (
        TIGHT_BEFORE.has(t.tokenType.name) || TIGHT_AFTER.has(prev.tokenType.name) ||
        (t.tokenType.name === 'LParen' && this.roles.hug.has(t.startOffset)) || this.roles.prefix.has(prev.startOffset)
      );
      w += t.image.length + (tight ? 0 : 1);
      prev = t;
    }
    return w;
  }
}
