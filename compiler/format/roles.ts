import type { CstElement, CstNode, IToken } from 'chevrotain';

/**
 * What the grammar says about each token, as far as layout cares: where statements start, which
 * braces open and close an indented body, which `(` hugs its name, which `->` may wrap. Read from
 * the concrete syntax tree so the printer never re-parses.
 */
export interface Roles {
  /** Tokens (by start offset) that begin a top-level declaration, with its kind. */
  readonly declStart: Map<number, 'import' | 'network' | 'block' | 'experiment'>;
  /** Tokens that begin a statement inside a body or a train entry. */
  readonly stmtStart: Set<number>;
  /** `{` and `}` of bodies and train sections: a new line and one more indent after / one less before. */
  readonly open: Set<number>;
  readonly close: Set<number>;
  /** `(` of an argument or parameter list: no space before it. */
  readonly hug: Set<number>;
  /** `-` and `!` used as prefix operators: no space after. */
  readonly prefix: Set<number>;
  /** Every `->` of a pipeline, mapped to that pipeline and its position in it. */
  readonly arrows: Map<number, { readonly info: PipelineInfo; readonly k: number }>;
  /** Optional `;` terminators, with the kind of statement they end. */
  readonly semicolons: Map<number, string>;
}

export interface PipelineInfo {
  /** Start offsets of the pipeline's arrows, in order. */
  readonly arrows: readonly number[];
  /** Start offset of its last token. */
  readonly last: number;
}

const isToken = (e: CstElement): e is IToken => 'image' in e;

const DECL_KINDS = { importDecl: 'import', networkDecl: 'network', blockDecl: 'block', experimentDecl: 'experiment' } as const;

export function collectRoles(cst: CstNode): Roles {
  const roles: Roles = {
    declStart: new Map(), stmtStart: new Set(), open: new Set(), close: new Set(),
    hug: new Set(), prefix: new Set(), arrows: new Map(), semicolons: new Map(),
  };
  visit(cst, roles);
  return roles;
}

/** Visits a node; returns the offsets of its first and last tokens. */
function visit(node: CstNode, roles: Roles): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  const children = new Map<string, { first: number; last: number }[]>();
  for (const [name, elements] of Object.entries(node.children)) {
    for (const e of elements ?? []) {
      const range = isToken(e) ? { first: e.startOffset, last: e.startOffset } : visit(e, roles);
      if (!isToken(e)) {
        const list = children.get(name);
        if (list) list.push(range);
        else children.set(name, [range]);
      }
      first = Math.min(first, range.first);
      last = Math.max(last, range.last);
    }
  }
  const tokens = (name: string): IToken[] => (node.children[name] ?? []).filter(isToken);
  switch (node.name) {
    case 'file':
      for (const kind of ['importDecl', 'networkDecl', 'blockDecl', 'experimentDecl'] as const) {
        for (const r of children.get(kind) ?? []) roles.declStart.set(r.first, DECL_KINDS[kind]);
      }
      break;
    case 'body':
    case 'trainStmt':
    case 'experimentDecl':
      for (const t of tokens('LCurly')) roles.open.add(t.startOffset);
      for (const t of tokens('RCurly')) roles.close.add(t.startOffset);
      for (const r of [...(children.get('statement') ?? []), ...(children.get('trainEntry') ?? [])]) roles.stmtStart.add(r.first);
      break;
    case 'argList':
    case 'paramList':
      for (const t of tokens('LParen')) roles.hug.add(t.startOffset);
      break;
    case 'unary':
      for (const t of [...tokens('Minus'), ...tokens('Bang')]) roles.prefix.add(t.startOffset);
      break;
    case 'pipeline': {
      const arrows = tokens('Arrow').map((t) => t.startOffset).sort((a, b) => a - b);
      const info = { arrows, last };
      arrows.forEach((a, k) => roles.arrows.set(a, { info, k }));
      break;
    }
    case 'statement':
    case 'trainEntry':
    case 'importDecl': {
      const inner = [...children.keys()][0] ?? node.name;
      for (const t of tokens('Semicolon')) roles.semicolons.set(t.startOffset, inner);
      break;
    }
  }
  return { first, last };
}
