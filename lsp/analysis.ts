/**
 * One file's analysis as the editor sees it: the compiled program with the file as entry, every
 * network analysed (the numbers `gnet report` prints), its resolved names, and lookups from a span in
 * the text to the IR nodes it produced.
 */
import { analyzeGraph, compileProgram, sortDiagnostics, toJSON, type Analysis, type Diagnostic, type Host, type Program, type Span } from '../compiler/index.js';
import type { BlockJSON } from '../compiler/report/index.js';
import type { NameTable } from '../compiler/elaborate/names.js';
import { resolveNames, type BlocksOf } from '../compiler/elaborate/resolve.js';
import type { SourceFile, Stmt } from '../compiler/syntax/ast.js';
import { parseSource } from '../compiler/syntax/parse.js';
import { LineMap } from './positions.js';

/** The nodes one call expanded to, with their rows of the JSON report. */
export interface Instance {
  readonly analysis: Analysis;
  /** Node ids, in node order; the last is the call's result. */
  readonly nodes: readonly number[];
  readonly blocks: readonly BlockJSON[];
  /** The frame a user-block call opened (absent for a built-in call). */
  readonly frame?: string;
}

export class FileAnalysis {
  readonly lines: LineMap;
  private resolved: NameTable | undefined;
  /** Every file this analysis read: the file itself and everything it imports, transitively. */
  readonly deps: ReadonlySet<string>;
  private spanNodes: Map<string, { analysis: Analysis; node: number }[]> | undefined;
  private callNodes: Map<string, { analysis: Analysis; node: number; frame: string }[]> | undefined;
  private readonly reports = new Map<Analysis, ReturnType<typeof toJSON>>();

  constructor(
    readonly path: string,
    readonly text: string,
    readonly program: Program,
    readonly analyses: readonly Analysis[],
    readonly diagnostics: readonly Diagnostic[],
    private readonly blocksOf: BlocksOf,
  ) {
    this.lines = new LineMap(text);
    this.deps = new Set(program.sources.keys());
  }

  /** The file's names, resolved on the first request (diagnostics do not need them). */
  get names(): NameTable {
    if (!this.resolved) {
      const ast = this.program.syntax.get(this.path) ?? parseSource(this.text, this.path).ast;
      this.resolved = resolveNames(ast, this.text.length, this.blocksOf);
    }
    return this.resolved;
  }

  /** The JSON report rows of one analysis, built on first use. */
  report(analysis: Analysis): ReturnType<typeof toJSON> {
    let r = this.reports.get(analysis);
    if (!r) this.reports.set(analysis, (r = toJSON(analysis, this.program.sources)));
    return r;
  }

  /** Built-in calls: the nodes whose span is this stage's span (one per expansion of the enclosing block). */
  nodesOfStage(span: Span): Instance[] {
    if (!this.spanNodes) {
      this.spanNodes = new Map();
      for (const analysis of this.analyses) {
        for (const node of analysis.graph.nodes) push(this.spanNodes, key(node.span), { analysis, node: node.id });
      }
    }
    return (this.spanNodes.get(key(span)) ?? []).map(({ analysis, node }) => ({ analysis, nodes: [node], blocks: [this.report(analysis).blocks[node]!] }));
  }

  /** User-block calls: the nodes each expansion of the call at this span produced. */
  nodesOfCall(span: Span): Instance[] {
    if (!this.callNodes) {
      this.callNodes = new Map();
      for (const analysis of this.analyses) {
        for (const node of analysis.graph.nodes) {
          for (const call of node.calls ?? []) push(this.callNodes, key(call.span), { analysis, node: node.id, frame: call.frame.join('.') });
        }
      }
    }
    const groups = new Map<string, { analysis: Analysis; nodes: number[]; frame: string }>();
    for (const hit of this.callNodes.get(key(span)) ?? []) {
      const id = `${hit.analysis.graph.name}/${hit.frame}`;
      const g = groups.get(id) ?? { analysis: hit.analysis, nodes: [], frame: hit.frame };
      g.nodes.push(hit.node);
      groups.set(id, g);
    }
    return [...groups.values()].map((g) => ({ ...g, blocks: g.nodes.map((n) => this.report(g.analysis).blocks[n]!) }));
  }
}

const key = (span: Span) => `${span.file}:${span.start}:${span.end}`;

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

/**
 * Compiles the file as the entry and analyses every network; checks report, so this never throws on
 * user input. While a block's or network's header does not parse, the shapes and numbers come from
 * a lenient second compile that expands it with what recovery kept (its guesses are not diagnostics).
 */
export function analyzeFile(path: string, host: Host, blocksOf: BlocksOf): FileAnalysis {
  const program = compileProgram(path, host, { recordUses: true });
  const diagnostics = [...program.diagnostics];
  let analyses = program.graphs.map((graph) => analyzeGraph(graph, {}, (d) => diagnostics.push(d)));
  if ([...program.syntax.values()].some(hasBrokenHeader)) {
    analyses = compileProgram(path, host, { lenient: true }).graphs.map((graph) => analyzeGraph(graph, {}, () => undefined));
  }
  return new FileAnalysis(path, host.readFile(path) ?? '', program, analyses, sortDiagnostics(diagnostics), blocksOf);
}

function hasBrokenHeader(ast: SourceFile): boolean {
  const inBody = (body: readonly Stmt[]): boolean =>
    body.some((s) => (s.kind === 'block' ? s.decl.broken === 'header' || inBody(s.decl.body) : s.kind === 'for' ? inBody(s.body) : s.kind === 'if' ? inBody(s.then) || inBody(s.otherwise) : false));
  return ast.decls.some((d) => d.kind !== 'import' && (d.broken === 'header' || inBody(d.body)));
}
