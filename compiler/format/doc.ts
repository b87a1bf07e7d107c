/**
 * The formatter's layout documents: what is printed, where a line may break and how a broken line
 * continues. Built from the syntax tree alone (build.ts), so a spec's layout depends on its tokens,
 * its comments and its blank lines between statements, never on how its lines were broken.
 */
export type Doc =
  | string
  | readonly Doc[]
  /** A new line at the current indentation (`blank`: after an empty line). */
  | { readonly t: 'hard'; readonly blank?: boolean }
  /** Lines started inside it are one level deeper. */
  | { readonly t: 'indent'; readonly doc: Doc }
  /** A line comment after code: ends its line, aligned with its neighbours' later. */
  | { readonly t: 'trail'; readonly text: string }
  /**
   * A comment on its own line before what follows; `inline`: a block comment with more after it on
   * its line; `sameLine`: it continues the line of the inline comment before it.
   */
  | { readonly t: 'lead'; readonly text: string; readonly blank: boolean; readonly inline: boolean; readonly sameLine?: boolean }
  /** `open item, item, … close`: items fill lines, a broken line continues under the first item. */
  | { readonly t: 'fill'; readonly open: Doc; readonly items: readonly Doc[]; readonly close: Doc }
  /** `head -> stage -> …`: stages fill lines, a broken line continues under the first `->` (or one level in). */
  | { readonly t: 'pipe'; readonly head: Doc; readonly tails: readonly Doc[] };

export const hard: Doc = { t: 'hard' };
export const indent = (doc: Doc): Doc => ({ t: 'indent', doc });
export const fill = (open: Doc, items: readonly Doc[], close: Doc): Doc => ({ t: 'fill', open, items, close });
export const pipe = (head: Doc, tails: readonly Doc[]): Doc => (tails.length ? { t: 'pipe', head, tails } : head);

/** Joins docs with `sep` between them. */
export function join(sep: Doc, docs: readonly Doc[]): Doc[] {
  return docs.flatMap((d, i) => (i === 0 ? [d] : [sep, d]));
}

/**
 * Width of `doc` printed on one line: Infinity when it cannot be (a line of its own inside, a
 * line comment before more code). `trailing`: it ends in a line comment, so nothing may follow it
 * on its line.
 */
export function flat(doc: Doc): { width: number; trailing: boolean } {
  let width = 0;
  let trailing = false;
  const visit = (d: Doc): boolean => {
    if (typeof d === 'string') {
      if (d === '') return true;
      if (trailing || d.includes('\n')) return false;
      width += d.length;
      return true;
    }
    if (Array.isArray(d)) return (d as readonly Doc[]).every(visit);
    const n = d as Exclude<Doc, string | readonly Doc[]>;
    switch (n.t) {
      case 'hard':
      case 'lead':
        return false;
      case 'indent':
        return visit(n.doc);
      case 'trail':
        if (trailing) return false;
        trailing = true;
        return true;
      case 'fill':
        return visit(n.open) && n.items.every((item, i) => (i > 0 ? visit(', ') : true) && visit(item)) && visit(n.close);
      case 'pipe':
        return visit(n.head) && n.tails.every((tail) => visit(' ') && visit(tail));
    }
  };
  return visit(doc) ? { width, trailing } : { width: Infinity, trailing };
}
