/**
 * Names of one file, resolved lexically the way elaboration scopes them: every definition (networks,
 * blocks, parameters, values, imports) and every use, with the scope tree for completion. Navigation,
 * rename, semantic tokens and symbols all read this one index.
 */
import { dirname, resolve } from 'node:path';
import type { Span } from '../compiler/index.js';
import { isBlockKind } from '../compiler/blocks/index.js';
import type { Arg, BlockDecl, Expr, ImportDecl, NetworkDecl, Param, Pipeline, SourceFile, Stage, Stmt } from '../compiler/syntax/ast.js';
import { contains } from './positions.js';

export type DefKind = 'network' | 'block' | 'param' | 'value' | 'input' | 'shared' | 'loop' | 'import';

export interface Def {
  readonly name: string;
  readonly kind: DefKind;
  /** The name where it is declared. */
  readonly span: Span;
  /** The whole declaration (statement, block, parameter). */
  readonly whole: Span;
  readonly decl?: BlockDecl | NetworkDecl;
  readonly stmt?: Stmt;
  readonly param?: Param;
  /** Imports: the absolute path of the imported file. */
  readonly importPath?: string;
  /** `in`, a block's incoming value: not renamed, not listed. */
  readonly implicit?: boolean;
}

export type Target =
  | { readonly kind: 'def'; readonly def: Def }
  | { readonly kind: 'builtin'; readonly name: string }
  /** A block that a whole-file `import "…"` brings in. */
  | { readonly kind: 'imported'; readonly file: string; readonly name: string }
  | { readonly kind: 'unknown' };

export interface Ref {
  readonly name: string;
  readonly span: Span;
  /** call: a pipeline stage calling a block; value: a name used as a value; arg: a named argument's name. */
  readonly role: 'call' | 'value' | 'arg';
  readonly target: Target;
  /** For 'arg': what the call resolves to. */
  readonly callee?: Target;
  readonly stage?: Stage;
}

export class LexScope {
  readonly defs = new Map<string, Def>();
  readonly children: LexScope[] = [];

  constructor(readonly parent: LexScope | undefined, readonly span: Span) {
    parent?.children.push(this);
  }

  lookup(name: string): Def | undefined {
    return this.defs.get(name) ?? this.parent?.lookup(name);
  }

  /** Every visible definition, nearest first, shadowed ones left out. */
  visible(): Def[] {
    const seen = new Set<string>();
    const out: Def[] = [];
    for (let s: LexScope | undefined = this; s; s = s.parent) {
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

export interface FileIndex {
  readonly file: string;
  readonly ast: SourceFile;
  readonly root: LexScope;
  readonly defs: readonly Def[];
  readonly refs: readonly Ref[];
  readonly imports: readonly ImportInfo[];
  /** Every stage that calls a block (built-in or user), with what it resolves to. */
  readonly calls: readonly { readonly stage: Stage; readonly target: Target }[];
}

/** Top-level block names of another file, for whole-file imports; undefined when it cannot be read. */
export type BlocksOf = (path: string) => ReadonlySet<string> | undefined;

export function indexFile(ast: SourceFile, length: number, blocksOf: BlocksOf): FileIndex {
  const file = ast.file;
  const defs: Def[] = [];
  const refs: Ref[] = [];
  const calls: { stage: Stage; target: Target }[] = [];
  const imports: ImportInfo[] = [];
  const wildcards: string[] = [];
  const root = new LexScope(undefined, { file, start: 0, end: length });

  const define = (scope: LexScope, def: Def): void => {
    defs.push(def);
    if (!scope.defs.has(def.name)) scope.defs.set(def.name, def);
  };

  const resolveName = (name: string, scope: LexScope): Target => {
    const def = scope.lookup(name);
    if (def) return { kind: 'def', def };
    for (const path of wildcards) if (blocksOf(path)?.has(name)) return { kind: 'imported', file: path, name };
    if (isBlockKind(name)) return { kind: 'builtin', name };
    return { kind: 'unknown' };
  };

  const isValue = (t: Target) => t.kind === 'def' && t.def.kind !== 'block' && t.def.kind !== 'network' && t.def.kind !== 'import' && t.def.kind !== 'shared';

  const expr = (e: Expr, scope: LexScope): void => {
    switch (e.kind) {
      case 'ref': refs.push({ name: e.name, span: e.span, role: 'value', target: resolveName(e.name, scope) }); return;
      case 'list': e.items.forEach((i) => expr(i, scope)); return;
      case 'unary': expr(e.operand, scope); return;
      case 'binary': expr(e.left, scope); expr(e.right, scope); return;
      case 'call': {
        const target = resolveName(e.name, scope);
        refs.push({ name: e.name, span: e.nameSpan, role: 'call', target });
        args(e.args, target, scope);
        return;
      }
      default: return;
    }
  };

  const args = (list: readonly Arg[], callee: Target, scope: LexScope): void => {
    for (const a of list) {
      if (a.name && a.nameSpan) refs.push({ name: a.name, span: a.nameSpan, role: 'arg', target: argTarget(a.name, callee), callee });
      expr(a.value, scope);
    }
  };

  const stage = (s: Stage, scope: LexScope): void => {
    const target = resolveName(s.name, scope);
    const role = isValue(target) ? 'value' : 'call';
    refs.push({ name: s.name, span: s.nameSpan, role, target, stage: s });
    if (role === 'call') calls.push({ stage: s, target });
    args(s.args ?? [], target, scope);
    if (s.repeat) expr(s.repeat, scope);
  };

  const pipeline = (p: Pipeline, scope: LexScope): void => p.stages.forEach((s) => stage(s, scope));

  /** Names a body binds, defined before its statements are walked (a use before the definition still resolves). */
  const collect = (stmts: readonly Stmt[], scope: LexScope, loop = false): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case 'assign':
        case 'output':
          if (s.kind === 'output' && !s.pipeline) break;
          if (loop && scope.parent?.lookup(s.name)) break; // a loop body rebinding an outer name (`x = x -> …`)
          define(scope, { name: s.name, kind: 'value', span: s.nameSpan, whole: s.span, stmt: s });
          break;
        case 'input': define(scope, { name: s.name, kind: 'input', span: s.nameSpan, whole: s.span, stmt: s }); break;
        case 'shared': define(scope, { name: s.name, kind: 'shared', span: s.nameSpan, whole: s.span, stmt: s }); break;
        case 'block': define(scope, { name: s.decl.name, kind: 'block', span: s.decl.nameSpan, whole: s.decl.span, decl: s.decl }); break;
        case 'if': collect(s.then, scope, loop); collect(s.otherwise, scope, loop); break;
        default: break;
      }
    }
  };

  const stmts = (list: readonly Stmt[], scope: LexScope): void => {
    for (const s of list) {
      switch (s.kind) {
        case 'input': s.dims.forEach((d) => expr(d, scope)); break;
        case 'assign':
        case 'output': {
          // A use unless this statement is where the name is defined (loop rebinding, `output y` of an existing value).
          if (scope.lookup(s.name)?.span !== s.nameSpan) refs.push({ name: s.name, span: s.nameSpan, role: 'value', target: resolveName(s.name, scope) });
          if (s.pipeline) pipeline(s.pipeline, scope);
          break;
        }
        case 'pipe': pipeline(s.pipeline, scope); break;
        case 'budget': expr(s.limit, scope); if (s.batch) expr(s.batch, scope); break;
        case 'shared': stage(s.stage, scope); break;
        case 'for': {
          expr(s.from, scope);
          expr(s.to, scope);
          const inner = new LexScope(scope, s.span);
          define(inner, { name: s.variable, kind: 'loop', span: s.variableSpan, whole: s.span, stmt: s });
          collect(s.body, inner, true);
          stmts(s.body, inner);
          break;
        }
        case 'if': expr(s.condition, scope); stmts(s.then, scope); stmts(s.otherwise, scope); break;
        case 'train': s.entries.forEach((e) => expr(e.value, scope)); break;
        case 'block': declaration(s.decl, scope); break;
      }
    }
  };

  const declaration = (decl: BlockDecl | NetworkDecl, parent: LexScope): void => {
    const scope = new LexScope(parent, decl.span);
    for (const p of decl.params) define(scope, { name: p.name, kind: 'param', span: p.span, whole: p.span, param: p });
    if (decl.kind === 'block') scope.defs.set('in', { name: 'in', kind: 'param', span: decl.nameSpan, whole: decl.span, implicit: true });
    for (const p of decl.params) if (p.default) expr(p.default, scope);
    collect(decl.body, scope);
    stmts(decl.body, scope);
  };

  for (const decl of ast.decls) {
    if (decl.kind === 'import') {
      const target = decl.path ? resolve(dirname(file), decl.path) : '';
      imports.push({ decl, target });
      if (decl.names) for (const n of decl.names) define(root, { name: n.name, kind: 'import', span: n.span, whole: decl.span, importPath: target });
      else if (target) wildcards.push(target);
    } else define(root, { name: decl.name, kind: decl.kind, span: decl.nameSpan, whole: decl.span, decl });
  }
  for (const decl of ast.decls) if (decl.kind !== 'import') declaration(decl, root);
  // An experiment's `networks = [...]` names networks of this file or named imports: navigation, rename and hover follow them.
  for (const x of ast.experiments) {
    for (const e of x.entries) {
      if (e.key !== 'networks') continue;
      for (const item of e.value.kind === 'list' ? e.value.items : [e.value]) {
        if (item.kind !== 'ref') continue;
        const def = root.defs.get(item.name);
        refs.push({ name: item.name, span: item.span, role: 'value', target: def?.kind === 'network' || def?.kind === 'import' ? { kind: 'def', def } : { kind: 'unknown' } });
      }
    }
  }
  return { file, ast, root, defs, refs, imports, calls };
}

/** A named argument of a user block call names one of its parameters. */
function argTarget(name: string, callee: Target): Target {
  if (callee.kind === 'def' && callee.def.decl) {
    const param = callee.def.decl.params.find((p) => p.name === name);
    if (param) return { kind: 'def', def: { name, kind: 'param', span: param.span, whole: param.span, param } };
  }
  return { kind: 'unknown' };
}

/** The innermost scope around an offset. */
export function scopeAt(index: FileIndex, offset: number): LexScope {
  let scope = index.root;
  for (;;) {
    const inner = scope.children.find((c) => contains(c.span, offset));
    if (!inner) return scope;
    scope = inner;
  }
}

export type Hit =
  | { readonly kind: 'ref'; readonly ref: Ref }
  | { readonly kind: 'def'; readonly def: Def }
  | { readonly kind: 'import-path'; readonly info: ImportInfo };

/** What the name under the cursor is: a use, a definition, or an import's path string. */
export function hitAt(index: FileIndex, offset: number): Hit | undefined {
  const ref = index.refs.find((r) => contains(r.span, offset));
  if (ref) return { kind: 'ref', ref };
  const def = index.defs.find((d) => !d.implicit && contains(d.span, offset));
  if (def) return { kind: 'def', def };
  const info = index.imports.find((i) => contains(i.decl.pathSpan, offset));
  return info ? { kind: 'import-path', info } : undefined;
}
