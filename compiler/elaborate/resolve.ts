/**
 * Name resolution of one file by the elaborator's scoping rules, over the whole syntax tree, so
 * that code elaboration never enters (a block nobody calls, the other branch of an `if`, a file of
 * blocks only) is resolved too. The elaborator records what each name it looks up is bound to
 * (uses.ts), and every such use must land on a site of the symbol resolved here: the editor's
 * rename and the tests hold the two to that.
 *
 * A name bound in a scope is one symbol however many statements bind it (both branches of an `if`,
 * a `for` body rebinding a name from outside the loop, a duplicate the elaborator reports), so
 * renaming every site and every use of a symbol keeps the program the same program.
 */
import { dirname, resolve } from 'node:path';
import { isBlockKind } from '../blocks/index.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Arg, BlockDecl, Expr, ImportDecl, NetworkDecl, Param, Pipeline, SourceFile, Stage, Stmt } from '../syntax/ast.js';
import { NameScope, type DefKind, type NameDef, type NameRef, type NameTable, type Target } from './names.js';

/** Top-level block names of another file (whole-file imports); undefined when it cannot be read. */
export type BlocksOf = (path: string) => ReadonlySet<string> | undefined;

export function resolveNames(ast: SourceFile, length: number, blocksOf: BlocksOf): NameTable {
  return new Resolver(ast, length, blocksOf).table();
}

class Resolver {
  private readonly file: string;
  private readonly defs: NameDef[] = [];
  private readonly refs: NameRef[] = [];
  private readonly calls: { stage: Stage; target: Target }[] = [];
  private readonly imports: { decl: ImportDecl; target: string }[] = [];
  /** Names the file's imports bring in, the later import winning, as the elaborator defines them. */
  private readonly imported = new Map<string, Target>();
  private readonly root: NameScope;

  constructor(private readonly ast: SourceFile, length: number, private readonly blocksOf: BlocksOf) {
    this.file = ast.file;
    this.root = new NameScope(undefined, { file: this.file, start: 0, end: length });
  }

  table(): NameTable {
    const { ast, root } = this;
    for (const decl of ast.decls) {
      if (decl.kind === 'import') this.importDecl(decl);
      else this.define(root, decl.name, decl.kind, decl.nameSpan, decl.span, { decl });
    }
    for (const decl of ast.decls) if (decl.kind !== 'import') this.declaration(decl, root);
    this.experiments();
    this.refs.sort((a, b) => a.span.start - b.span.start);
    const sites = this.defs.flatMap((def) => def.sites.map((span) => ({ span, def }))).sort((a, b) => a.span.start - b.span.start);
    return { file: this.file, ast, root, defs: this.defs, refs: this.refs, sites, imports: this.imports, calls: this.calls };
  }

  private importDecl(decl: ImportDecl): void {
    const target = decl.path ? resolve(dirname(this.file), decl.path) : '';
    this.imports.push({ decl, target });
    if (decl.names) {
      for (const n of decl.names) {
        const def = this.define(this.root, n.name, 'import', n.span, decl.span, { importPath: target });
        this.imported.set(n.name, { kind: 'def', def });
      }
    } else if (target) {
      for (const name of this.blocksOf(target) ?? []) this.imported.set(name, { kind: 'imported', file: target, name });
    }
  }

  /** Binds `name` in `scope`: a new symbol, or one more site of the symbol the scope already has. */
  private define(scope: NameScope, name: string, kind: DefKind, span: Span, whole: Span, extra: Partial<NameDef> = {}): NameDef {
    const existing = scope.defs.get(name);
    if (existing && !existing.implicit) {
      (existing.sites as Span[]).push(span);
      return existing;
    }
    const def: NameDef = { name, kind, span, sites: [span], whole, scope, ...extra };
    scope.add(def);
    if (!def.implicit) this.defs.push(def);
    return def;
  }

  private resolveName(name: string, scope: NameScope): Target {
    const def = scope.lookup(name);
    if (def) return { kind: 'def', def };
    const imported = this.imported.get(name);
    if (imported) return imported;
    return isBlockKind(name) ? { kind: 'builtin', name } : { kind: 'unknown' };
  }

  private ref(name: string, span: Span, role: NameRef['role'], target: Target, extra: Partial<NameRef> = {}): void {
    this.refs.push({ name, span, role, target, ...extra });
  }

  private expr(e: Expr, scope: NameScope): void {
    switch (e.kind) {
      case 'ref': this.ref(e.name, e.span, 'value', this.resolveName(e.name, scope)); return;
      case 'list': for (const i of e.items) this.expr(i, scope); return;
      case 'unary': this.expr(e.operand, scope); return;
      case 'binary': this.expr(e.left, scope); this.expr(e.right, scope); return;
      case 'call':
        // `min(a, b)`, `adam(lr = 0.01)`: evaluated by name, never looked up in a scope.
        this.ref(e.name, e.nameSpan, 'function', { kind: 'function', name: e.name });
        for (const a of e.args) this.expr(a.value, scope);
        return;
      default: return;
    }
  }

  private args(list: readonly Arg[], callee: Target, scope: NameScope): void {
    for (const a of list) {
      if (a.name && a.nameSpan) this.ref(a.name, a.nameSpan, 'arg', paramOf(a.name, callee), { callee });
      this.expr(a.value, scope);
    }
  }

  private stage(s: Stage, scope: NameScope): void {
    const target = this.resolveName(s.name, scope);
    const role = isValue(target) ? 'value' : 'call';
    this.ref(s.name, s.nameSpan, role, target, { stage: s });
    if (role === 'call') this.calls.push({ stage: s, target });
    this.args(s.args ?? [], target, scope);
    if (s.repeat) this.expr(s.repeat, scope);
  }

  private pipeline(p: Pipeline, scope: NameScope): void {
    for (const s of p.stages) this.stage(s, scope);
  }

  /**
   * Binds the names a body defines before its statements are walked (a use before its definition
   * still resolves, and is the elaborator's GN0202). In a `for` body, assigning a name bound
   * outside the loop rebinds that name (`x = x -> stage`): one more site of the outer symbol.
   */
  private collect(stmts: readonly Stmt[], scope: NameScope, loop: boolean): void {
    for (const s of stmts) {
      switch (s.kind) {
        case 'assign':
        case 'output':
        case 'let': {
          if (s.kind === 'output' && !s.pipeline) break;
          const outer = loop ? scope.parent?.lookup(s.name) : undefined;
          if (outer && !outer.implicit) this.define(outer.scope, s.name, outer.kind, s.nameSpan, s.span);
          else this.define(scope, s.name, 'value', s.nameSpan, s.span, { stmt: s });
          break;
        }
        case 'input': this.define(scope, s.name, 'input', s.nameSpan, s.span, { stmt: s }); break;
        case 'shared': this.define(scope, s.name, 'shared', s.nameSpan, s.span, { stmt: s }); break;
        case 'block': this.define(scope, s.decl.name, 'block', s.decl.nameSpan, s.decl.span, { decl: s.decl }); break;
        case 'if': this.collect(s.then, scope, loop); this.collect(s.otherwise, scope, loop); break;
        default: break;
      }
    }
  }

  private stmts(list: readonly Stmt[], scope: NameScope): void {
    for (const s of list) {
      switch (s.kind) {
        case 'input': for (const d of s.dims) this.expr(d, scope); break;
        case 'output':
          if (!s.pipeline) this.ref(s.name, s.nameSpan, 'value', this.resolveName(s.name, scope));
          else this.pipeline(s.pipeline, scope);
          break;
        case 'assign': this.pipeline(s.pipeline, scope); break;
        case 'let': this.expr(s.value, scope); break;
        case 'pipe': this.pipeline(s.pipeline, scope); break;
        case 'budget': this.expr(s.limit, scope); if (s.batch) this.expr(s.batch, scope); break;
        case 'shared': this.stage(s.stage, scope); break;
        case 'for': {
          this.expr(s.from, scope);
          this.expr(s.to, scope);
          const inner = new NameScope(scope, s.span);
          this.define(inner, s.variable, 'loop', s.variableSpan, s.span, { stmt: s });
          this.collect(s.body, inner, true);
          this.stmts(s.body, inner);
          break;
        }
        case 'if': this.expr(s.condition, scope); this.stmts(s.then, scope); this.stmts(s.otherwise, scope); break;
        case 'train': for (const e of s.entries) for (const v of e.bySize ? e.bySize.rows.map((r) => r.value) : [e.value]) this.expr(v, scope); break;
        case 'block': this.declaration(s.decl, scope); break;
      }
    }
  }

  /**
   * A block's or network's scope: its parameters (a default sees the parameters before it and
   * the enclosing scope, as arguments are bound), a block's implicit `in`, then its body.
   */
  private declaration(decl: BlockDecl | NetworkDecl, parent: NameScope): void {
    const owner = parent.defs.get(decl.name);
    const scope = new NameScope(parent, decl.span, owner?.decl === decl ? owner : undefined);
    const params: NameDef[] = [];
    for (const p of decl.params) {
      if (p.default) this.paramDefault(p, params, parent);
      params.push(this.define(scope, p.name, 'param', p.span, p.span, { param: p }));
    }
    if (decl.kind === 'block') scope.add({ name: 'in', kind: 'param', span: emptyAt(decl.nameSpan), sites: [], whole: decl.span, scope, implicit: true });
    this.collect(decl.body, scope, false);
    this.stmts(decl.body, scope);
  }

  private paramDefault(p: Param, earlier: readonly NameDef[], parent: NameScope): void {
    const view = new NameScope(parent, p.span, undefined, false);
    for (const def of earlier) view.defs.set(def.name, def);
    this.expr(p.default!, view);
  }

  /** An experiment's `networks = [...]` names networks of this file or imported ones. */
  private experiments(): void {
    for (const x of this.ast.experiments) {
      for (const e of x.entries) {
        if (e.key !== 'networks') continue;
        for (const item of e.value.kind === 'list' ? e.value.items : [e.value]) {
          if (item.kind !== 'ref') continue;
          const def = this.root.defs.get(item.name);
          const target: Target = def?.kind === 'network' || def?.kind === 'import' ? { kind: 'def', def } : { kind: 'unknown' };
          this.ref(item.name, item.span, 'value', target);
        }
      }
    }
  }
}

const isValue = (t: Target): boolean => t.kind === 'def' && (t.def.kind === 'param' || t.def.kind === 'value' || t.def.kind === 'input' || t.def.kind === 'loop');

const emptyAt = (span: Span): Span => ({ file: span.file, start: span.start, end: span.start });

/** A named argument of a user-block call names one of its parameters (same file; imported callees resolve later). */
function paramOf(name: string, callee: Target): Target {
  if (callee.kind !== 'def' || !callee.def.decl) return { kind: 'unknown' };
  const scopeDef = callee.def.decl.params.find((p) => p.name === name);
  return scopeDef ? { kind: 'param', block: callee.def, name } : { kind: 'unknown' };
}
