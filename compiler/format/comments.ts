/**
 * Where each comment goes: after the code on its line (trailing a token), or on its own line(s)
 * before the next token (leading it); which statements and comments follow a blank line. A comment
 * between a header and its body's `{` moves after the `{` (the canonical layout keeps `{` on the
 * header's line). Nothing else about the source's line breaks reaches the layout.
 */
import type { IToken } from 'chevrotain';

export interface Comment {
  readonly text: string;
  /** `//` or `///` (ends its line), else a block comment. */
  readonly line: boolean;
  /** Follows a blank line. */
  readonly blank: boolean;
  /** A block comment with code or another comment after it on its line. */
  readonly inline: boolean;
  /** On the line of the comment before it (which was inline). */
  readonly sameLine: boolean;
}

export interface Attached {
  /** Comments on their own lines before a token, by the token's offset. */
  readonly leading: Map<number, Comment[]>;
  /** Comments after a token on its line, by the token's offset. */
  readonly trailing: Map<number, Comment[]>;
  /** Comments after the last token. */
  readonly end: Comment[];
  /** Offsets of the tokens that follow a blank line (with no comment between). */
  readonly blank: Set<number>;
}

/** Line breaks in a stretch of source, whatever the convention (\n, \r\n, a lone \r). */
export const countBreaks = (s: string): number => s.match(/\r\n|\r|\n/g)?.length ?? 0;

export function attachComments(text: string, tokens: readonly IToken[], comments: readonly IToken[], bodyOpens: ReadonlySet<number>): Attached {
  const attached: Attached = { leading: new Map(), trailing: new Map(), end: [], blank: new Set() };
  const push = (map: Map<number, Comment[]>, at: number, c: Comment) => {
    const list = map.get(at);
    if (list) list.push(c);
    else map.set(at, [c]);
  };
  let t = 0;
  let prevEnd = 0;
  let prevToken: IToken | undefined;
  let started = false;
  /** A line break since the last token: comments from here on lead the next token. */
  let brokeSinceToken = false;
  let prevWasLeading = false;
  for (let c = 0; c <= comments.length; c++) {
    const comment = comments[c];
    // Tokens before this comment.
    for (; t < tokens.length && (!comment || tokens[t]!.startOffset < comment.startOffset); t++) {
      const token = tokens[t]!;
      if (started && countBreaks(text.slice(prevEnd, token.startOffset)) >= 2) attached.blank.add(token.startOffset);
      prevEnd = token.endOffset! + 1;
      prevToken = token;
      started = true;
      brokeSinceToken = false;
      prevWasLeading = false;
    }
    if (!comment) break;
    const breaks = countBreaks(text.slice(prevEnd, comment.startOffset));
    const next = tokens[t];
    const body = comment.image.replace(/\r\n?/g, '\n').replace(/[ \t]+$/, '');
    const line = comment.tokenType.name !== 'BlockComment';
    const nextStart = comments[c + 1] && (!next || comments[c + 1]!.startOffset < next.startOffset) ? comments[c + 1]!.startOffset : (next?.startOffset ?? text.length);
    const inline = !line && countBreaks(text.slice(comment.endOffset! + 1, nextStart)) === 0 && next !== undefined;
    brokeSinceToken ||= breaks > 0;
    const trailing = prevToken !== undefined && !brokeSinceToken;
    const entry: Comment = { text: body, line, blank: started && breaks >= 2, inline, sameLine: !trailing && prevWasLeading && breaks === 0 };
    if (trailing) push(attached.trailing, prevToken!.startOffset, entry);
    else if (next) push(attached.leading, next.startOffset, entry);
    else attached.end.push(entry);
    prevEnd = comment.endOffset! + 1;
    started = true;
    prevWasLeading = !trailing;
  }
  moveBeforeBodies(attached, tokens, bodyOpens);
  return attached;
}

/**
 * `network N // note` + `{` on the next line: the note moves after the `{` (trailing it, or on its
 * own line first in the body); so does a comment on its own line before the `{`.
 */
function moveBeforeBodies(attached: Attached, tokens: readonly IToken[], bodyOpens: ReadonlySet<number>): void {
  tokens.forEach((open, i) => {
    if (!bodyOpens.has(open.startOffset) || i === 0) return;
    const before = tokens[i - 1]!.startOffset;
    const trailing = attached.trailing.get(before) ?? [];
    const moved = [...trailing.filter((c) => c.line), ...(attached.leading.get(open.startOffset) ?? [])];
    if (!moved.length) return;
    attached.trailing.set(before, trailing.filter((c) => !c.line));
    attached.leading.delete(open.startOffset);
    const own = attached.trailing.get(open.startOffset) ?? [];
    const rest = [...moved];
    if (!own.some((c) => c.line) && rest[0]!.line) attached.trailing.set(open.startOffset, [...own, rest.shift()!]);
    const after = tokens[i + 1];
    if (!after || !rest.length) return;
    const asOwnLines = rest.map((c) => ({ ...c, blank: false, inline: false, sameLine: false }));
    attached.leading.set(after.startOffset, [...asOwnLines, ...(attached.leading.get(after.startOffset) ?? [])]);
  });
}
