/** What name resolution (resolve.ts) finds in one file: symbols, uses, scopes, and lookups by offset. */
import type { Span } from '../diagnostics/diagnostic.js';
import type { BlockDecl, ImportDecl, NetworkDecl, Param, SourceFile, Stage, Stmt } from '../syntax/ast.js';

export type DefKind = 'network' | 'block' | 'param' | 'value' | 'input' | 'shared' | 'loop' | 'import';

/** One symbol: a name bound in one scope, at one or more sites. */
export interface NameDef {
  readonly name: string;
  readonly kind: DefKind;
  /** The first site binding it. */
  readonly span: Span;
  /** Every name span that binds it, in source order of discovery (the first is `span`). */
  readonly sites: readonly Span[];
  /** The whole declaration of the first site (statement, block, parameter). */
  readonly whole: Span;
  /** The scope that binds it. */
  readonly scope: NameScope;
  readonly decl?: BlockDecl | NetworkDecl;
  /** For a block or network: the scope of its parameters and body. */
  body?: NameScope;
  readonly stmt?: Stmt;
  readonly param?: Param;
  /** Imports: the absolute path of the imported file. */
  readonly importPath?: string;
  /** `in`, a block's incoming value: bound by every call, written nowhere, never renamed. */
  readonly implicit?: boolean;
}

export type Target =
  | { readonly kind: 'def'; readonly def: NameDef }
  /** A built-in block. */
  | { readonly kind: 'builtin'; readonly name: string }
  /** A block that a whole-file `import "…"` brings in. */
  | { readonly kind: 'imported'; readonly file: string; readonly name: string }
  /** A named argument of a call of this file's block `block`: its parameter `name`. */
  | { readonly kind: 'param'; readonly block: NameDef; readonly name: string }
  /** `min(…)`, `adam(…)`: evaluated by name, not looked up in a scope. */
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'unknown' };

export interface NameRef {
  readonly name: string;
  readonly span: Span;
  /** call: a stage calling a block; value: a name used as a value; arg: a named argument's name; function: an expression call. */
  readonly role: 'call' | 'value' | 'arg' | 'function';
  readonly target: Target;
  /** For 'arg': what the call resolves to. */
  readonly callee?: Target;
  readonly stage?: Stage;
}

export class NameScope {
  readonly defs = new Map<string, NameDef>();
  /** Symbols in the order they were bound (document outline). */
  readonly ordered: NameDef[] = [];
  readonly children: NameScope[] = [];

  constructor(
    readonly parent: NameScope | undefined,
    readonly span: Span,
    /** The block or network whose parameters and body this scope holds (file and loop scopes have none). */
    readonly owner?: NameDef,
    attach = true,
  ) {
    if (attach) parent?.children.push(this);
    if (owner) owner.body = this;
  }

  add(def: NameDef): void {
    this.defs.set(def.name, def);
    this.ordered.push(def);
  }

  /** The symbol a use of `name` here means; networks are no names inside bodies. */
  lookup(name: string): NameDef | undefined {
    for (let s: NameScope | undefined = this; s; s = s.parent) {
      const def = s.defs.get(name);
      if (def && !(s.parent === undefined && def.kind === 'network')) return def;
    }
    return undefined;
  }

  /** Every visible symbol, nearest first, shadowed ones left out. */
  visible(): NameDef[] {
    const seen = new Set<string>();
    const out: NameDef[] = [];
    for (let s: NameScope | undefined = this; s; s = s.parent) {
      for (const def of s.defs.values()) if (!seen.has(def.name)) seen.add(def.name), out.push(def);
    }
    return out;
  }
}

export interface ImportInfo {
  readonly decl: ImportDecl;
  /** Absolute path of the imported file ('' when the path string is broken). */
  readonly target: string;
}

export interface NameTable {
  readonly file: string;
  readonly ast: SourceFile;
  readonly root: NameScope;
  /** Every symbol (implicit `in`s left out), in order of their first site. */
  readonly defs: readonly NameDef[];
  /** Every use, sorted by position. */
  readonly refs: readonly NameRef[];
  /** Every site of every symbol, sorted by position. */
  readonly sites: readonly { readonly span: Span; readonly def: NameDef }[];
  readonly imports: readonly ImportInfo[];
  /** Every stage that calls a block (built-in or user), with what it resolves to. */
  readonly calls: readonly { readonly stage: Stage; readonly target: Target }[];
}

const within = (span: { start: number; end: number }, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The first index whose span ends at or after `offset`, in a list sorted by position. */
function lowerBound<T>(list: readonly T[], offset: number, spanOf: (item: T) => Span): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spanOf(list[mid]!).end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The use under `offset` (a cursor right after a name is on it). */
export function refAt(table: NameTable, offset: number): NameRef | undefined {
  const r = table.refs[lowerBound(table.refs, offset, (x) => x.span)];
  return r && within(r.span, offset) ? r : undefined;
}

/** The symbol one of whose sites is under `offset`. */
export function defAt(table: NameTable, offset: number): NameDef | undefined {
  const s = table.sites[lowerBound(table.sites, offset, (x) => x.span)];
  return s && within(s.span, offset) ? s.def : undefined;
}

/** The innermost scope around an offset. */
export function scopeAt(table: NameTable, offset: number): NameScope {
  let scope = table.root;
  for (;;) {
    const children = scope.children;
    const inner = children[lowerBound(children, offset, (c) => c.span)];
    if (!inner || !within(inner.span, offset)) return scope;
    scope = inner;
  }
}
