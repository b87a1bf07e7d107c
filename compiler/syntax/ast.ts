import type { Span } from '../diagnostics/diagnostic.js';

/** The syntax tree after the CST visitor: plain data, every node carries its span. */

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'ref'; readonly name: string; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | '!'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'call'; readonly name: string; readonly nameSpan: Span; readonly args: readonly Arg[]; readonly span: Span };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface Arg {
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly value: Expr;
  readonly span: Span;
}

/** One pipeline stage: `conv(16, size=3)`, `relu`, `stage(c) * 3`, or a value name. */
export interface Stage {
  readonly name: string;
  readonly nameSpan: Span;
  /** null when written without parentheses. */
  readonly args: readonly Arg[] | null;
  readonly repeat?: Expr;
  readonly span: Span;
}

export interface Pipeline {
  readonly stages: readonly Stage[];
  readonly span: Span;
}

/** `broken`: a syntax error lies inside; the statement is what recovery kept, and later stages stay quiet about it. */
export type Stmt = StmtKind & { readonly broken?: true };

type StmtKind =
  | { readonly kind: 'input'; readonly name: string; readonly nameSpan: Span; readonly dims: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'output'; readonly name: string; readonly nameSpan: Span; readonly pipeline?: Pipeline; readonly span: Span }
  | { readonly kind: 'assign'; readonly name: string; readonly nameSpan: Span; readonly pipeline: Pipeline; readonly span: Span }
  | { readonly kind: 'pipe'; readonly pipeline: Pipeline; readonly span: Span }
  | { readonly kind: 'budget'; readonly metric: string; readonly metricSpan: Span; readonly op: '<=' | '<' | '>=' | '>'; readonly limit: Expr; readonly batch?: Expr; readonly span: Span }
  | { readonly kind: 'shared'; readonly name: string; readonly nameSpan: Span; readonly stage: Stage; readonly span: Span }
  | { readonly kind: 'let'; readonly name: string; readonly nameSpan: Span; readonly value: Expr; readonly span: Span }
  | { readonly kind: 'for'; readonly variable: string; readonly variableSpan: Span; readonly from: Expr; readonly to: Expr; readonly body: readonly Stmt[]; readonly span: Span }
  | { readonly kind: 'if'; readonly condition: Expr; readonly then: readonly Stmt[]; readonly otherwise: readonly Stmt[]; readonly span: Span }
  | { readonly kind: 'train'; readonly entries: readonly TrainEntry[]; readonly span: Span }
  | { readonly kind: 'block'; readonly decl: BlockDecl; readonly span: Span };

export interface TrainEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: Expr;
  /**
   * Written as a table of values per training-set size (`{ 1000: 60, all: 10 }`, experiments only);
   * `value` is then the first row's value, so code that reads one value still has one.
   */
  readonly bySize?: SizeTable;
}

/** `{ 1000: 60, 5000: 30, all: 10 }`: one row per training-set size. */
export interface SizeTable {
  readonly rows: readonly SizeRow[];
  readonly span: Span;
}

export interface SizeRow {
  /** A number of images, or the word written (`all`, or a mistake the checker names). */
  readonly size: number | string;
  readonly sizeSpan: Span;
  readonly value: Expr;
}

export interface Param {
  readonly name: string;
  readonly span: Span;
  readonly default?: Expr;
}

export interface BlockDecl {
  readonly kind: 'block';
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly doc: string;
  readonly span: Span;
  /** Where a syntax error lies: in the name or parameters, or in the body. */
  readonly broken?: 'header' | 'body';
}

export interface NetworkDecl {
  readonly kind: 'network';
  readonly name: string;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly doc: string;
  readonly span: Span;
  /** Where a syntax error lies: in the name or parameters, or in the body. */
  readonly broken?: 'header' | 'body';
}

export interface ImportDecl {
  readonly kind: 'import';
  /** Named imports, or undefined for `import "file"` (every block). */
  readonly names?: readonly { readonly name: string; readonly span: Span }[];
  readonly path: string;
  readonly pathSpan: Span;
  readonly span: Span;
}

export type Decl = BlockDecl | NetworkDecl | ImportDecl;

/**
 * `experiment Name { key = value … }`: which networks to train at which training-set sizes and
 * seeds. Kept apart from `decls`: it declares no name that blocks or networks could use.
 */
export interface ExperimentDecl {
  readonly kind: 'experiment';
  /** '' when written without a name. */
  readonly name: string;
  /** The name, or the `experiment` keyword when there is none. */
  readonly nameSpan: Span;
  readonly entries: readonly TrainEntry[];
  readonly doc: string;
  readonly span: Span;
  /** A syntax error lies inside: its entries are what recovery kept. */
  readonly broken?: true;
}

export interface SourceFile {
  readonly file: string;
  readonly decls: readonly Decl[];
  readonly experiments: readonly ExperimentDecl[];
}
