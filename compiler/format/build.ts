/**
 * The concrete syntax tree as a layout document (doc.ts): one statement per line, single spaces
 * around `->`, `=` and operators, none inside brackets, shapes as `28 x 28 x 1`, `;` only where the
 * next statement would otherwise be read as part of this one, every comment where comments.ts
 * attached it. Argument lists, lists, parameters and imports are fills; pipelines are pipes.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Attached } from './comments.js';
import { fill, hard, indent, join, pipe, type Doc } from './doc.js';

const isToken = (e: CstElement | undefined): e is IToken => !!e && 'image' in e;
const isNode = (e: CstElement | undefined): e is CstNode => !!e && 'children' in e;

const TIGHT_BEFORE = new Set(['Comma', 'Colon', 'DotDot']);

const start = (e: CstElement): number => (isToken(e) ? e.startOffset : (e.location?.startOffset ?? 0));

/** A node's children (tokens and nodes) in source order. */
function elements(n: CstNode): CstElement[] {
  return Object.values(n.children).flat().filter((e): e is CstElement => e !== undefined).sort((a, b) => start(a) - start(b));
}

const tokens = (n: CstNode, name: string): IToken[] => (n.children[name] ?? []).filter(isToken);
const nodes = (n: CstNode, name: string): CstNode[] => (n.children[name] ?? []).filter(isNode);
const first = (n: CstNode, name: string): CstNode | undefined => nodes(n, name)[0];

/** Offsets of the `{` that open bodies (train sections and experiments too): comments before one move after it. */
export function bodyOpens(cst: CstNode): Set<number> {
  const out = new Set<number>();
  const visit = (n: CstNode) => {
    if (n.name === 'body' || n.name === 'trainStmt' || n.name === 'experimentDecl') for (const t of tokens(n, 'LCurly')) out.add(t.startOffset);
    for (const e of Object.values(n.children).flat()) if (isNode(e)) visit(e);
  };
  visit(cst);
  return out;
}

export class DocBuilder {
  /** First tokens of the first statement of a block: no blank line right after a `{`. */
  private readonly noBlank = new Set<number>();
  /** Each token's successor (the `;` rule). */
  private readonly nextToken = new Map<number, IToken>();

  constructor(private readonly attached: Attached, all: readonly IToken[]) {
    all.forEach((t, i) => all[i + 1] && this.nextToken.set(t.startOffset, all[i + 1]!));
  }

  file(cst: CstNode): Doc {
    const decls = elements(cst).filter(isNode);
    const parts: Doc[] = [];
    decls.forEach((d, i) => {
      if (i > 0) {
        const imports = d.name === 'importDecl' && decls[i - 1]!.name === 'importDecl';
        // Declarations are a blank line apart; consecutive imports only where the source had one.
        parts.push({ t: 'hard', blank: !imports || this.blankBefore(d) });
      }
      parts.push(this.generic(d));
    });
    const end = this.attached.end.map((c): Doc => ({ t: 'lead', text: c.text, blank: c.blank, inline: c.inline, sameLine: c.sameLine }));
    return [...parts, ...end];
  }

  private blankBefore(n: CstNode): boolean {
    const t = firstToken(n);
    return this.attached.blank.has(t.startOffset) && !this.attached.leading.get(t.startOffset)?.length;
  }

  /** A token with its comments; `bare`: its leading comments are placed by the caller. */
  private tok(t: IToken, image = t.image, options: { bare?: boolean } = {}): Doc {
    const parts: Doc[] = [];
    if (!options.bare) {
      const leading = this.attached.leading.get(t.startOffset) ?? [];
      const noBlank = this.noBlank.has(t.startOffset);
      leading.forEach((c, i) => parts.push({ t: 'lead', text: c.text, blank: c.blank && !(i === 0 && noBlank), inline: c.inline, sameLine: c.sameLine }));
      if (leading.length && this.attached.blank.has(t.startOffset) && !leading.at(-1)!.inline) parts.push({ t: 'hard', blank: true });
    }
    parts.push(image);
    for (const c of this.attached.trailing.get(t.startOffset) ?? []) parts.push(c.line ? { t: 'trail', text: c.text } : ` ${c.text}`);
    return parts;
  }

  /** Comments before a closing `}`: they belong inside the body, one level in. */
  private dangling(t: IToken, afterOpen: boolean): Doc[] {
    return (this.attached.leading.get(t.startOffset) ?? []).map((c, i): Doc => ({ t: 'lead', text: c.text, blank: c.blank && !(afterOpen && i === 0), inline: c.inline, sameLine: c.sameLine }));
  }

  private importDecl(n: CstNode): Doc {
    const parts: Doc[] = [this.tok(tokens(n, 'Import')[0]!)];
    const lcurly = tokens(n, 'LCurly')[0];
    if (lcurly) {
      const names = tokens(n, 'Identifier').map((t) => this.tok(t));
      const open = [' ', this.tok(lcurly), names.length ? ' ' : ''];
      const close = [names.length ? ' ' : '', this.tok(tokens(n, 'RCurly')[0]!, '}')];
      parts.push(fill(open, this.withCommas(n, names), close), ' ', this.tok(tokens(n, 'From')[0]!));
    }
    parts.push(' ', this.tok(tokens(n, 'StringLiteral')[0]!));
    return [...parts, ...this.dropped(n)];
  }

  private namedDecl(n: CstNode): Doc {
    const keyword = tokens(n, n.name === 'networkDecl' ? 'Network' : 'Block')[0]!;
    const params = first(n, 'paramList');
    return [this.tok(keyword), ' ', this.tok(tokens(n, 'Identifier')[0]!), params ? this.list(params, 'param') : '', ' ', this.body(first(n, 'body')!)];
  }

  /** `( a, b )`, `[ a, b ]`: a fill of the list's items. */
  private list(n: CstNode, item: string): Doc {
    const open = tokens(n, 'LParen')[0] ?? tokens(n, 'LBracket')[0]!;
    const close = tokens(n, 'RParen')[0] ?? tokens(n, 'RBracket')[0]!;
    const items = nodes(n, item).map((i) => this.generic(i));
    return fill(this.tok(open), this.withCommas(n, items), this.tok(close));
  }

  /** Each item but the last carries its comma's comments (the comma itself is the fill's). */
  private withCommas(n: CstNode, items: Doc[]): Doc[] {
    const commas = tokens(n, 'Comma');
    return items.map((item, i) => (commas[i] && i < items.length - 1 ? [item, this.tok(commas[i]!, '')] : item));
  }

  private body(n: CstNode): Doc {
    return this.block(tokens(n, 'LCurly')[0]!, nodes(n, 'statement'), tokens(n, 'RCurly')[0]!, (s) => this.statement(s));
  }

  /** `{`, one statement per line one level in, `}`; `{}` when there is nothing inside. */
  private block(open: IToken, stmts: readonly CstNode[], close: IToken, item: (s: CstNode) => Doc): Doc {
    const inner: Doc[] = [];
    if (stmts[0]) this.noBlank.add(firstToken(stmts[0]).startOffset);
    stmts.forEach((s, i) => inner.push(i === 0 ? hard : { t: 'hard', blank: this.blankBefore(s) }, item(s)));
    const dangling = this.dangling(close, stmts.length === 0);
    if (!inner.length && !dangling.length) return [this.tok(open), this.tok(close, '}', { bare: true })];
    return [this.tok(open), indent([...inner, ...(inner.length ? [] : [hard]), ...dangling]), hard, this.tok(close, '}', { bare: true })];
  }

  private statement(n: CstNode): Doc {
    const inner = elements(n).find(isNode)!;
    const semi = tokens(n, 'Semicolon')[0];
    const end = semi ?? lastToken(inner);
    // `input a: 8 x 8` then `x(…)`, or `budget … <= 1k` then `at = …`: a `;` keeps them two statements.
    const needed = this.continues(inner, this.nextToken.get(end.startOffset));
    return [this.generic(inner), ...(semi ? [this.tok(semi, needed ? ';' : '')] : needed ? [';'] : [])];
  }

  /** Would the parser read `next` as part of this statement? */
  private continues(stmt: CstNode, next: IToken | undefined): boolean {
    if (!next) return false;
    const after = this.nextToken.get(next.startOffset)?.tokenType.name;
    if (stmt.name === 'inputStmt') return next.tokenType.name === 'Times' || (next.image === 'x' && after !== 'Equals' && after !== 'Arrow');
    return stmt.name === 'budgetStmt' && next.image === 'at';
  }

  /** Any other node: its pieces in order, laid out by kind. */
  private generic(n: CstNode): Doc {
    switch (n.name) {
      case 'importDecl': return this.importDecl(n);
      case 'pipeline': return this.pipeline(n);
      case 'stage': return this.stage(n);
      case 'argList': return this.list(n, 'arg');
      case 'inputStmt': return this.input(n);
      case 'trainStmt': return [this.tok(tokens(n, 'Train')[0]!), ' ', this.block(tokens(n, 'LCurly')[0]!, nodes(n, 'trainEntry'), tokens(n, 'RCurly')[0]!, (e) => this.generic(e))];
      case 'experimentDecl': return this.section(n);
      case 'body': return this.body(n);
      case 'blockDecl':
      case 'networkDecl': return this.namedDecl(n);
      case 'primary': return this.primary(n);
      default: return this.spaced(n);
    }
  }

  /** `experiment [Name] { entries }`. */
  private section(n: CstNode): Doc {
    const name = tokens(n, 'Identifier')[0];
    return [this.tok(tokens(n, 'Experiment')[0]!), ...(name ? [' ', this.tok(name)] : []), ' ', this.block(tokens(n, 'LCurly')[0]!, nodes(n, 'trainEntry'), tokens(n, 'RCurly')[0]!, (e) => this.generic(e))];
  }

  /**
   * Pieces with single spaces between (statements, entries, parameters, arguments, expressions),
   * except before `,` `:` `..` and after `..`, and none inside a prefix operation (`-x`, `!done`).
   */
  private spaced(n: CstNode): Doc {
    const parts: Doc[] = [];
    let prev: CstElement | undefined;
    for (const e of elements(n)) {
      if (isToken(e) && e.tokenType.name === 'Semicolon') {
        parts.push(this.tok(e, ''));
        continue;
      }
      const name = isToken(e) ? e.tokenType.name : e.name;
      const prevName = prev === undefined ? undefined : isToken(prev) ? prev.tokenType.name : prev.name;
      if (prevName !== undefined && n.name !== 'unary' && !TIGHT_BEFORE.has(name) && prevName !== 'DotDot') parts.push(' ');
      parts.push(isToken(e) ? this.tok(e) : this.generic(e));
      prev = e;
    }
    return parts;
  }

  private primary(n: CstNode): Doc {
    const args = first(n, 'argList');
    const id = tokens(n, 'Identifier')[0];
    if (id) return args ? [this.tok(id), this.list(args, 'arg')] : this.tok(id);
    if (tokens(n, 'LBracket').length) return this.list(n, 'expr');
    const paren = tokens(n, 'LParen')[0];
    if (paren) return [this.tok(paren), this.generic(first(n, 'expr')!), this.tok(tokens(n, 'RParen')[0]!)];
    return this.tok(elements(n).find(isToken)!);
  }

  private stage(n: CstNode): Doc {
    const name = tokens(n, 'Identifier')[0] ?? tokens(n, 'In')[0]!;
    const args = first(n, 'argList');
    const star = tokens(n, 'Star')[0];
    const parts: Doc[] = [this.tok(name)];
    if (args) parts.push(this.list(args, 'arg'));
    if (star) parts.push(' ', this.tok(star), ' ', this.generic(first(n, 'repeat')!));
    return parts;
  }

  private pipeline(n: CstNode): Doc {
    const stages = nodes(n, 'stage');
    const arrows = tokens(n, 'Arrow');
    return pipe(this.stage(stages[0]!), arrows.map((a, i) => [this.tok(a), ' ', this.stage(stages[i + 1]!)]));
  }

  /** `input name: 28 x 28 x 1`, whether written `28x28x1`, `28×28×1` or spread over lines. */
  private input(n: CstNode): Doc {
    const head: Doc[] = [this.tok(tokens(n, 'Input')[0]!), ' ', this.tok(tokens(n, 'Identifier')[0]!), this.tok(tokens(n, 'Colon')[0]!), ' '];
    const dims = tokens(n, 'Dims')[0];
    if (dims) return [...head, this.tok(dims, dims.image.split(/[x×]/).join(' x '))];
    const parts = elements(n).filter((e) => start(e) > tokens(n, 'Colon')[0]!.startOffset);
    return [...head, ...join(' ', parts.map((e) => (isToken(e) ? this.tok(e, 'x') : this.generic(e))))];
  }

  /** A `;` the layout drops: its comments stay. */
  private dropped(n: CstNode): Doc[] {
    return tokens(n, 'Semicolon').map((t) => this.tok(t, ''));
  }
}

function lastToken(n: CstNode): IToken {
  const e = elements(n).at(-1)!;
  return isToken(e) ? e : lastToken(e);
}

function firstToken(n: CstNode): IToken {
  const e = elements(n)[0]!;
  return isToken(e) ? e : firstToken(e);
}
