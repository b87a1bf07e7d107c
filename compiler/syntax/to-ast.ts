import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';

/** CST → AST. Tolerates the partial trees chevrotain builds while recovering from syntax errors. */
export function toAst(cst: CstNode, file: string, text: string, docs: readonly IToken[], errorOffsets: readonly number[] = []): A.SourceFile {
  const v = new Visitor(file, text, docs, errorOffsets);
  return { file, decls: v.decls(cst), experiments: v.experiments(cst) };
}

type Children = Record<string, CstElement[] | undefined>;

const isToken = (e: CstElement | undefined): e is IToken => !!e && 'image' in e;
const isNode = (e: CstElement | undefined): e is CstNode => !!e && 'children' in e;

class Visitor {
  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly docs: readonly IToken[],
    private readonly errorOffsets: readonly number[],
  ) {}

  /** Where the line holding `offset` starts: a statement that follows a syntax error on its line is what recovery left of it. */
  private lineStartBefore(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** Where the line holding `offset` ends (a syntax error later on a statement's last line is part of it). */
  private lineEndAfter(offset: number): number {
    let i = Math.max(0, offset);
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  /** A syntax error lies in [start, end). */
  private brokenIn(start: number, end: number): boolean {
    return this.errorOffsets.some((o) => o >= start && o < end);
  }

  private tokSpan(t: IToken | undefined, fallback?: Span): Span {
    if (!t || Number.isNaN(t.startOffset)) return fallback ?? { file: this.file, start: 0, end: 0 };
    return { file: this.file, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
  }

  private span(n: CstNode): Span {
    const loc = n.location;
    if (!loc || Number.isNaN(loc.startOffset)) return { file: this.file, start: 0, end: 0 };
    // Recovery can leave an end before the start (or none at all).
    const end = Number.isNaN(loc.endOffset ?? NaN) ? loc.startOffset : Math.max(loc.startOffset, loc.endOffset!);
    return { file: this.file, start: loc.startOffset, end: end + 1 };
  }

  private tok(c: Children, name: string, i = 0): IToken | undefined {
    const e = c[name]?.[i];
    return isToken(e) && !e.isInsertedInRecovery ? e : undefined;
  }

  private nodes(c: Children, name: string): CstNode[] {
    return (c[name] ?? []).filter(isNode);
  }

  private node(c: Children, name: string, i = 0): CstNode | undefined {
    return this.nodes(c, name)[i];
  }

  /** `///` lines directly above a declaration (only whitespace between). */
  private docBefore(offset: number): string {
    const lines: string[] = [];
    let cursor = offset;
    // The last doc comment before the declaration (docs are in source order), then upwards.
    let lo = 0;
    let hi = this.docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.docs[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const d = this.docs[i]!;
      if (this.text.slice(d.endOffset! + 1, cursor).trim() !== '') break;
      lines.unshift(d.image.replace(/^\/\/\/ ?/, '').trimEnd());
      cursor = d.startOffset;
    }
    return lines.join('\n').trim();
  }

  decls(n: CstNode): A.Decl[] {
    const decls: A.Decl[] = [];
    for (const d of this.nodes(n.children, 'importDecl')) decls.push(this.importDecl(d));
    for (const d of this.nodes(n.children, 'networkDecl')) decls.push(this.namedDecl(d, 'network') as A.NetworkDecl);
    for (const d of this.nodes(n.children, 'blockDecl')) decls.push(this.namedDecl(d, 'block') as A.BlockDecl);
    return decls.sort((a, b) => a.span.start - b.span.start);
  }

  experiments(n: CstNode): A.ExperimentDecl[] {
    return this.nodes(n.children, 'experimentDecl').map((d) => {
      const c = d.children;
      const keyword = this.tok(c, 'Experiment');
      const id = this.tok(c, 'Identifier');
      const span = this.span(d);
      return {
        kind: 'experiment',
        name: id?.image ?? '',
        nameSpan: this.tokSpan(id ?? keyword, span),
        entries: this.entries(d),
        doc: this.docBefore(span.start),
        span,
        ...(this.brokenIn(span.start, span.end + 1) || !keyword ? { broken: true as const } : {}),
      };
    });
  }

  private importDecl(n: CstNode): A.ImportDecl {
    const c = n.children;
    const str = this.tok(c, 'StringLiteral');
    const names = c.From ? (c.Identifier ?? []).filter(isToken).map((t) => ({ name: t.image, span: this.tokSpan(t) })) : undefined;
    return { kind: 'import', names, path: str ? unquote(str.image) : '', pathSpan: this.tokSpan(str, this.span(n)), span: this.span(n) };
  }

  private namedDecl(n: CstNode, kind: 'network' | 'block'): A.NetworkDecl | A.BlockDecl {
    const c = n.children;
    const id = this.tok(c, 'Identifier');
    const span = this.span(n);
    const paramList = this.node(c, 'paramList');
    const params = paramList ? this.nodes(paramList.children, 'param').map((p) => this.param(p)) : [];
    const bodyNode = this.node(c, 'body');
    const bodyStart = bodyNode ? this.span(bodyNode).start : span.end;
    // Recovery may invent the keyword itself (`/ DeepMedic (…)` after a broken comment reads as a network).
    const invented = (c.Network ?? c.Block ?? []).some((t) => isToken(t) && t.isInsertedInRecovery);
    const broken = this.brokenIn(span.start, bodyStart + 1) || !id || invented ? 'header' : this.brokenIn(bodyStart + 1, span.end + 1) ? 'body' : undefined;
    return {
      kind,
      name: id?.image ?? '',
      nameSpan: this.tokSpan(id, span),
      params,
      body: bodyNode ? this.body(bodyNode) : [],
      doc: this.docBefore(span.start),
      span,
      ...(broken ? { broken } : {}),
    };
  }

  private param(n: CstNode): A.Param {
    const id = this.tok(n.children, 'Identifier');
    const e = this.node(n.children, 'expr');
    return { name: id?.image ?? '', span: this.tokSpan(id, this.span(n)), default: e ? this.expr(e) : undefined };
  }

  private body(n: CstNode): A.Stmt[] {
    return this.nodes(n.children, 'statement').flatMap((s) => {
      const stmt = this.statement(s);
      if (!stmt) return [];
      return this.brokenIn(this.lineStartBefore(stmt.span.start), this.lineEndAfter(stmt.span.end)) ? [{ ...stmt, broken: true as const }] : [stmt];
    });
  }

  private statement(n: CstNode): A.Stmt | undefined {
    const [key, inner] = Object.entries(n.children).find(([, v]) => isNode(v?.[0])) ?? [];
    const node = inner?.[0];
    if (!key || !isNode(node)) return undefined;
    switch (key) {
      case 'inputStmt': return this.inputStmt(node);
      case 'outputStmt': return this.outputStmt(node);
      case 'budgetStmt': return this.budgetStmt(node);
      case 'sharedStmt': return this.sharedStmt(node);
      case 'letStmt': {
        const id = this.tok(node.children, 'Identifier');
        const e = this.node(node.children, 'expr');
        if (!e) return undefined;
        return { kind: 'let', name: id?.image ?? '', nameSpan: this.tokSpan(id, this.span(node)), value: this.expr(e), span: this.span(node) };
      }
      case 'forStmt': return this.forStmt(node);
      case 'ifStmt': return this.ifStmt(node);
      case 'trainStmt': return this.trainStmt(node);
      case 'blockDecl': {
        const decl = this.namedDecl(node, 'block') as A.BlockDecl;
        return { kind: 'block', decl, span: decl.span };
      }
      case 'assignStmt': {
        const id = this.tok(node.children, 'Identifier');
        const p = this.node(node.children, 'pipeline');
        if (!p) return undefined;
        return { kind: 'assign', name: id?.image ?? '', nameSpan: this.tokSpan(id, this.span(node)), pipeline: this.pipeline(p), span: this.span(node) };
      }
      case 'pipeline': {
        const pipeline = this.pipeline(node);
        return pipeline.stages.length ? { kind: 'pipe', pipeline, span: pipeline.span } : undefined;
      }
      default: return undefined;
    }
  }

  private inputStmt(n: CstNode): A.Stmt {
    const c = n.children;
    const id = this.tok(c, 'Identifier');
    const dimsTok = this.tok(c, 'Dims');
    let dims: A.Expr[];
    if (dimsTok) {
      const base = dimsTok.startOffset;
      dims = [];
      for (const m of dimsTok.image.matchAll(/\d+/g)) {
        const start = base + m.index!;
        dims.push({ kind: 'number', value: Number(m[0]), span: { file: this.file, start, end: start + m[0].length } });
      }
    } else {
      dims = this.nodes(c, 'dim').map((e) => this.expr(e));
    }
    return { kind: 'input', name: id?.image ?? '', nameSpan: this.tokSpan(id, this.span(n)), dims, span: this.span(n) };
  }

  private outputStmt(n: CstNode): A.Stmt {
    const id = this.tok(n.children, 'Identifier');
    const p = this.node(n.children, 'pipeline');
    return { kind: 'output', name: id?.image ?? '', nameSpan: this.tokSpan(id, this.span(n)), pipeline: p ? this.pipeline(p) : undefined, span: this.span(n) };
  }

  private budgetStmt(n: CstNode): A.Stmt | undefined {
    const c = n.children;
    const metric = this.tok(c, 'metric');
    const opTok = (['LessEq', 'Less', 'GreaterEq', 'Greater'] as const).map((k) => this.tok(c, k)).find(Boolean);
    const limit = this.node(c, 'limit');
    if (!metric || !opTok || !limit) return undefined;
    const batch = this.node(c, 'batch');
    return {
      kind: 'budget',
      metric: metric.image,
      metricSpan: this.tokSpan(metric),
      op: opTok.image as '<=' | '<' | '>=' | '>',
      limit: this.expr(limit),
      batch: batch ? this.expr(batch) : undefined,
      span: this.span(n),
    };
  }

  private sharedStmt(n: CstNode): A.Stmt | undefined {
    const id = this.tok(n.children, 'Identifier');
    const st = this.node(n.children, 'stage');
    if (!st) return undefined;
    return { kind: 'shared', name: id?.image ?? '', nameSpan: this.tokSpan(id, this.span(n)), stage: this.stage(st), span: this.span(n) };
  }

  private forStmt(n: CstNode): A.Stmt | undefined {
    const c = n.children;
    const id = this.tok(c, 'Identifier');
    const from = this.node(c, 'from');
    const to = this.node(c, 'to');
    const body = this.node(c, 'body');
    if (!from || !to) return undefined;
    return {
      kind: 'for',
      variable: id?.image ?? '',
      variableSpan: this.tokSpan(id, this.span(n)),
      from: this.expr(from),
      to: this.expr(to),
      body: body ? this.body(body) : [],
      span: this.span(n),
    };
  }

  private ifStmt(n: CstNode): A.Stmt | undefined {
    const c = n.children;
    const cond = this.node(c, 'expr');
    if (!cond) return undefined;
    const then = this.node(c, 'then');
    const elseIf = this.node(c, 'elseIf');
    const otherwise = this.node(c, 'otherwise');
    const elseStmt = elseIf ? this.ifStmt(elseIf) : undefined;
    return {
      kind: 'if',
      condition: this.expr(cond),
      then: then ? this.body(then) : [],
      otherwise: elseStmt ? [elseStmt] : otherwise ? this.body(otherwise) : [],
      span: this.span(n),
    };
  }

  private trainStmt(n: CstNode): A.Stmt {
    return { kind: 'train', entries: this.entries(n), span: this.span(n) };
  }

  /** `key = value` entries of a train section or an experiment. */
  private entries(n: CstNode): A.TrainEntry[] {
    return this.nodes(n.children, 'trainEntry').flatMap((e) => {
      const key = this.tok(e.children, 'Identifier');
      const value = this.node(e.children, 'expr');
      const table = this.node(e.children, 'sizeTable');
      if (key && table) {
        const bySize = this.sizeTable(table);
        const first = bySize.rows[0]?.value ?? { kind: 'list' as const, items: [], span: bySize.span };
        return [{ key: key.image, keySpan: this.tokSpan(key), value: first, bySize }];
      }
      return key && value ? [{ key: key.image, keySpan: this.tokSpan(key), value: this.expr(value) }] : [];
    });
  }

  private sizeTable(n: CstNode): A.SizeTable {
    const rows = this.nodes(n.children, 'sizeRow').flatMap((r): A.SizeRow[] => {
      const size = this.tok(r.children, 'NumberLiteral') ?? this.tok(r.children, 'Identifier');
      const value = this.node(r.children, 'expr');
      if (!size || !value) return [];
      return [{ size: size.tokenType.name === 'NumberLiteral' ? parseNumber(size.image) : size.image, sizeSpan: this.tokSpan(size), value: this.expr(value) }];
    });
    return { rows, span: this.span(n) };
  }

  private pipeline(n: CstNode): A.Pipeline {
    return { stages: this.nodes(n.children, 'stage').map((s) => this.stage(s)), span: this.span(n) };
  }

  private stage(n: CstNode): A.Stage {
    const c = n.children;
    const id = this.tok(c, 'Identifier') ?? this.tok(c, 'In');
    const argList = this.node(c, 'argList');
    const repeat = this.node(c, 'repeat');
    return {
      name: id?.image ?? '',
      nameSpan: this.tokSpan(id, this.span(n)),
      args: argList ? this.args(argList) : null,
      repeat: repeat ? this.expr(repeat) : undefined,
      span: this.span(n),
    };
  }

  private args(n: CstNode): A.Arg[] {
    return this.nodes(n.children, 'arg').flatMap((a) => {
      const name = this.tok(a.children, 'name');
      const e = this.node(a.children, 'expr');
      if (!e) return [];
      return [{ name: name?.image, nameSpan: name ? this.tokSpan(name) : undefined, value: this.expr(e), span: this.span(a) }];
    });
  }

  /** `expr` (flat operand/operator list) or `unary`. */
  expr(n: CstNode): A.Expr {
    const c = n.children;
    if (n.name === 'unary') return this.unary(n);
    const operands = this.nodes(c, 'unary').map((o) => this.unary(o));
    const operators = (c.operator ?? []).filter(isToken).map((t) => t.image as A.BinaryOp);
    if (operands.length === 0) return { kind: 'number', value: 0, span: this.span(n) };
    return this.climb(operands, operators.slice(0, operands.length - 1));
  }

  /** Precedence climbing over a flat list: a op b op c … */
  private climb(operands: A.Expr[], operators: A.BinaryOp[]): A.Expr {
    const out: A.Expr[] = [operands[0]!];
    const ops: A.BinaryOp[] = [];
    const reduce = () => {
      const right = out.pop()!;
      const left = out.pop()!;
      out.push(binary(ops.pop()!, left, right, this.file));
    };
    operators.forEach((op, i) => {
      const p = PRECEDENCE[op];
      // `^` is right-associative: only strictly tighter operators reduce first.
      while (ops.length && (PRECEDENCE[ops.at(-1)!] > p || (PRECEDENCE[ops.at(-1)!] === p && op !== '^'))) reduce();
      ops.push(op);
      out.push(operands[i + 1]!);
    });
    while (ops.length) reduce();
    return out[0]!;
  }

  private unary(n: CstNode): A.Expr {
    const c = n.children;
    const inner = this.node(c, 'primary');
    let e: A.Expr = inner ? this.primary(inner.children, this.span(inner)) : { kind: 'number', value: 0, span: this.span(n) };
    const ops = [...(c.Minus ?? []), ...(c.Bang ?? [])].filter(isToken).sort((a, b) => b.startOffset - a.startOffset);
    for (const op of ops) e = { kind: 'unary', op: op.image as '-' | '!', operand: e, span: { ...e.span, start: op.startOffset, end: Math.max(op.startOffset + 1, e.span.end) } };
    return e;
  }

  private primary(c: Children, span: Span): A.Expr {
    const num = this.tok(c, 'NumberLiteral');
    if (num) return { kind: 'number', value: parseNumber(num.image), span };
    const str = this.tok(c, 'StringLiteral');
    if (str) return { kind: 'string', value: unquote(str.image), span };
    if (c.True) return { kind: 'bool', value: true, span };
    if (c.False) return { kind: 'bool', value: false, span };
    if (c.In) return { kind: 'ref', name: 'in', span };
    const id = this.tok(c, 'Identifier');
    if (id) {
      const argList = this.node(c, 'argList');
      if (argList) return { kind: 'call', name: id.image, nameSpan: this.tokSpan(id), args: this.args(argList), span };
      return { kind: 'ref', name: id.image, span };
    }
    const inner = this.node(c, 'expr');
    if (c.LParen && inner) return this.expr(inner);
    if (c.LBracket) return { kind: 'list', items: this.nodes(c, 'expr').map((e) => this.expr(e)), span };
    return { kind: 'number', value: 0, span };
  }
}

const PRECEDENCE: Record<A.BinaryOp, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, '^': 6,
};

/** `-a ^ b` means -(a ^ b), as in mathematics: the minus moves outside the power. */
function binary(op: A.BinaryOp, left: A.Expr, right: A.Expr, file: string): A.Expr {
  const span = { file, start: left.span.start, end: Math.max(left.span.start, right.span.end) };
  if (op === '^' && left.kind === 'unary' && left.op === '-') {
    return { kind: 'unary', op: '-', operand: binary('^', left.operand, right, file), span };
  }
  return { kind: 'binary', op, left, right, span };
}

const SUFFIX: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function parseNumber(image: string): number {
  const m = /^(.*?)(KiB|MiB|GiB|k|M|G)?$/.exec(image)!;
  return Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : 1);
}

function unquote(image: string): string {
  try {
    return JSON.parse(image) as string;
  } catch {
    return image.slice(1, -1);
  }
}
