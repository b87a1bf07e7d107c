/**
 * Lays a document (doc.ts) out in lines of at most `width` columns where it can: a fill or a pipe
 * stays on its line while it fits there, together with what must follow it before the next place
 * a line may break; otherwise its items continue on new lines. Decisions depend on widths only.
 */
import { flat, type Doc } from './doc.js';

export interface LayoutOptions {
  /** Lines longer than this wrap their argument lists and pipelines. */
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

export function layout(doc: Doc, options: LayoutOptions): Line[] {
  return new Layout(options).run(doc);
}

class Layout {
  private readonly lines: Line[] = [];
  private cur: Line = { indent: 0, code: '' };
  private pending: string | undefined;

  constructor(private readonly options: LayoutOptions) {}

  run(doc: Doc): Line[] {
    this.print(doc, 0, 0);
    this.flush();
    return this.lines;
  }

  private get column(): number {
    const nl = this.cur.code.lastIndexOf('\n');
    return nl >= 0 ? this.cur.code.length - nl - 1 : this.cur.indent + this.cur.code.length;
  }

  private get atLineStart(): boolean {
    return this.cur.code === '';
  }

  private flush(): void {
    if (this.pending !== undefined) this.cur.comment = this.pending;
    this.pending = undefined;
    if (this.cur.code !== '' || this.cur.comment !== undefined) this.lines.push(this.cur);
    this.cur = { indent: this.cur.indent, code: '' };
  }

  private newline(indent: number, blank = false): void {
    this.flush();
    const last = this.lines.at(-1);
    if (blank && last && (last.code !== '' || last.comment !== undefined)) this.lines.push({ indent: 0, code: '' });
    this.cur = { indent, code: '' };
  }

  /** Text on the current line; after a line comment it starts a new line first. */
  private text(s: string, ind: number): void {
    if (s === '') return;
    if (this.pending !== undefined) {
      this.newline(ind);
      s = s.replace(/^ +/, '');
    }
    if (this.atLineStart) s = s.replace(/^ +/, '');
    this.cur.code += s;
  }

  /** Does `doc` fit on the current line, followed by `rest` more columns? */
  private fits(doc: Doc, rest: number): boolean {
    if (this.pending !== undefined) return false;
    const f = flat(doc);
    if (f.trailing && rest > 0) return false;
    return this.column + f.width + rest <= this.options.width;
  }

  /**
   * Prints `doc` with `ind` as the column of continuation lines; `rest` is the width of what must
   * follow it on its line before the next place a line may break.
   */
  private print(doc: Doc, ind: number, rest: number): void {
    if (typeof doc === 'string') return this.text(doc, ind);
    if (Array.isArray(doc)) {
      const docs = doc as readonly Doc[];
      docs.forEach((d, i) => this.print(d, ind, i === docs.length - 1 ? rest : restAfter(docs.slice(i + 1), rest)));
      return;
    }
    const n = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (n.t) {
      case 'hard': return this.newline(ind, n.blank);
      case 'indent': return this.print(n.doc, ind + this.options.indent, rest);
      case 'trail':
        if (this.pending !== undefined) this.newline(ind);
        this.pending = n.text;
        return;
      case 'lead':
        if (n.sameLine && this.pending === undefined) {
          // Continues the line of the inline comment before it.
        } else if (!this.atLineStart || this.pending !== undefined) this.newline(ind, n.blank);
        else if (n.blank) this.newline(this.cur.indent, true);
        this.cur.code += n.text + (n.inline ? ' ' : '');
        if (!n.inline) this.newline(ind);
        return;
      case 'fill': return this.fill(n, ind, rest);
      case 'pipe': return this.pipe(n, ind, rest);
    }
  }

  /** `(a, b, c)`: on this line if it fits; else items fill lines under the first one (or, if that is too far right, one level in). */
  private fill(n: Extract<Doc, { t: 'fill' }>, ind: number, rest: number): void {
    if (this.fits(n, rest)) return this.printFlat(n, ind);
    this.print(n.open, ind, 0);
    const closeWidth = flat(n.close).width + rest;
    let col = this.column;
    const first = n.items[0];
    // Under the first item unless even it does not fit there: then one level in from the statement.
    const hang = first !== undefined && col + flat(first).width + 1 > this.options.width && col > ind + this.options.indent;
    if (hang) {
      col = ind + this.options.indent;
      this.newline(col);
    }
    n.items.forEach((item, i) => {
      const last = i === n.items.length - 1;
      const after = last ? closeWidth : 1;
      if (i > 0) {
        this.text(',', col);
        if (this.fits([' ', item], after)) this.text(' ', col);
        else this.newline(col);
      }
      this.print(item, col, after);
    });
    this.print(n.close, col, rest);
  }

  /** `head -> s1 -> s2`: on this line if it fits; else stages fill lines under the first `->`, or one level in when that is far right. */
  private pipe(n: Extract<Doc, { t: 'pipe' }>, ind: number, rest: number): void {
    if (this.fits(n, rest)) return this.printFlat(n, ind);
    const { width, indent } = this.options;
    this.print(n.head, ind, 0);
    const arrow = this.column + 1;
    const aligned = this.pending === undefined && arrow <= width / 2 && arrow + flat(n.tails[0]!).width <= width;
    const col = aligned ? arrow : ind + indent;
    n.tails.forEach((tail, i) => {
      const after = i === n.tails.length - 1 ? rest : 0;
      if ((i > 0 || aligned) && this.fits([' ', tail], after)) this.text(' ', col);
      else if (this.column > col || this.pending !== undefined) this.newline(col);
      this.print(tail, col, after);
    });
  }

  /** Prints a fill or a pipe on the current line. */
  private printFlat(doc: Doc, ind: number): void {
    const visit = (d: Doc): void => {
      if (typeof d === 'string') return this.text(d, ind);
      if (Array.isArray(d)) return (d as readonly Doc[]).forEach(visit);
      const n = d as Exclude<Doc, string | readonly Doc[]>;
      if (n.t === 'fill') {
        visit(n.open);
        n.items.forEach((item, i) => (i > 0 && this.text(', ', ind), visit(item)));
        visit(n.close);
      } else if (n.t === 'pipe') {
        visit(n.head);
        for (const tail of n.tails) this.text(' ', ind), visit(tail);
      } else this.print(n, ind, 0);
    };
    visit(doc);
  }
}

/** Width of `docs` from their start to the first place a line may break in them; `open`: there is none. */
function lead(docs: readonly Doc[]): { width: number; open: boolean } {
  let width = 0;
  for (const d of docs) {
    const r = leadOne(d);
    width += r.width;
    if (!r.open) return { width, open: false };
  }
  return { width, open: true };
}

function leadOne(d: Doc): { width: number; open: boolean } {
  if (typeof d === 'string') return { width: d.length, open: true };
  if (Array.isArray(d)) return lead(d as readonly Doc[]);
  const n = d as Exclude<Doc, string | readonly Doc[]>;
  switch (n.t) {
    case 'indent': return leadOne(n.doc);
    case 'hard':
    case 'lead':
    case 'trail':
      return { width: 0, open: false };
    case 'fill': {
      // A broken list keeps its opening and first item on the line; one item also keeps its close.
      const parts = n.items.length > 1 ? [n.open, n.items[0]!] : [n.open, ...n.items, n.close];
      const r = lead(parts);
      return n.items.length > 1 ? { width: r.width, open: false } : r;
    }
    case 'pipe': return { width: leadOne(n.head).width, open: false };
  }
}

/** What must follow the first of `docs` on its line: the rest up to a break, plus `rest` if none comes. */
function restAfter(docs: readonly Doc[], rest: number): number {
  const r = lead(docs);
  return r.open ? r.width + rest : r.width;
}
