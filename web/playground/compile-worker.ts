/**
 * The compiler in a Web Worker, so typing never waits for it: each request parses, elaborates and
 * analyses the edited file with the bundled specs as its imports, and answers with diagnostics and
 * the rows of `gnet report` for every network.
 */
import { analyzeGraph, type Analysis } from '../../compiler/analysis/index.js';
import { sortDiagnostics, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { renderDiagnostic } from '../../compiler/diagnostics/render.js';
import { compileProgram, type Host } from '../../compiler/program.js';
import { headerLines, rowCells, summaryLines, totalCells } from '../../compiler/report/cells.js';
import { compareAnalyses, kindCell } from '../../compiler/report/compare.js';
import { graphNodes } from '../../compiler/report/graph.js';
import { toJSON } from '../../compiler/report/json.js';
import { reportRows } from '../../compiler/report/rows.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { EXAMPLES } from 'gnet:examples';
import type { CompileRequest, CompileResult, HoverRequest, NetworkReport, PageComparison, PageDiagnostic, TrainingDefaults } from './protocol.js';
import { blockHover, rememberCompile } from './hover-worker.js';

/** `gnet report` measures activation memory at batch 1 unless told otherwise. */
const REPORT_BATCH = 1;

function compile(request: CompileRequest): Omit<CompileResult, 'id' | 'ms'> {
  // The edited text replaces the bundled file of the same path; every other path reads the bundle.
  const host: Host = { readFile: (path) => (path === request.path ? request.text : EXAMPLES[path]) };
  const program = compileProgram(request.path, host, {});
  const diagnostics: Diagnostic[] = [...program.diagnostics];
  const failed = diagnostics.some((d) => d.severity === 'error');
  const analyses: Analysis[] = failed ? [] : program.graphs.map((g) => analyzeGraph(g, { batch: REPORT_BATCH }, (d) => diagnostics.push(d)));
  const all = sortDiagnostics(diagnostics);
  const reports = analyses.map((a) => networkReport(a, program.sources));
  rememberCompile({ path: request.path, text: request.text, program, analyses, diagnostics: all });
  return { diagnostics: all.map((d) => pageDiagnostic(d, program.sources)), networks: program.networks, reports, comparison: comparison(analyses, request.compare) };
}

function networkReport(analysis: Analysis, sources: ReadonlyMap<string, string>): NetworkReport {
  return {
    name: analysis.graph.name,
    header: headerLines(analysis),
    summary: summaryLines(analysis),
    rows: reportRows(analysis).map((row) => ({ depth: row.depth, kind: row.kind, name: row.name, cells: rowCells(row, analysis, '') })),
    total: totalCells(analysis),
    json: toJSON(analysis, sources),
    training: trainingDefaults(analysis),
    graph: graphNodes(analysis),
  };
}

/** The train section read by the trainer's own rules, so the page's fields start where `gnet train` would. */
function trainingDefaults(analysis: Analysis): NetworkReport['training'] {
  const { graph } = analysis;
  try {
    const config = resolveConfig(graph.training, { data: 'synthetic-cells' }, graph.name);
    const written = graph.training?.data;
    const samples = typeof written === 'string' ? /^synthetic-cells:(\d+)$/.exec(written)?.[1] : undefined;
    const defaults: TrainingDefaults = {
      epochs: config.epochs,
      batch: config.batch,
      lr: config.optimizer.lr,
      optimizer: config.optimizer.name,
      loss: config.loss.map((t) => t.kind).join(' + '),
      metrics: config.metrics,
      samples: samples === undefined ? undefined : Number(samples),
      data: typeof written === 'string' ? written : undefined,
    };
    return defaults;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function comparison(analyses: readonly Analysis[], pair: CompileRequest['compare']): PageComparison | undefined {
  if (!pair) return undefined;
  const picked = pair.map((name) => analyses.find((a) => a.graph.name === name));
  if (picked.some((a) => a === undefined)) return undefined;
  const c = compareAnalyses(picked as Analysis[]);
  return { networks: c.networks, totals: c.totals, kinds: c.kinds.map((k) => ({ op: k.op, cells: k.figures.map(kindCell) })) };
}

function pageDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>): PageDiagnostic {
  const span = d.primary.span;
  return {
    file: span.file,
    from: span.start,
    to: span.end,
    severity: d.severity,
    code: d.code,
    message: d.message,
    help: d.help,
    notes: d.notes ?? [],
    rendered: renderDiagnostic(d, sources, { color: false }),
  };
}

self.onmessage = (event: MessageEvent<CompileRequest | HoverRequest>) => {
  if ('kind' in event.data) {
    postMessage(blockHover(event.data, (path, text) => compile({ id: 0, path, text })));
    return;
  }
  const started = performance.now();
  const request = event.data;
  let result: CompileResult;
  try {
    result = { id: request.id, ...compile(request), ms: performance.now() - started };
  } catch (thrown) {
    // Checks report, never throw; reaching here is a compiler bug, shown as such rather than swallowed.
    result = { id: request.id, diagnostics: [], networks: [], reports: [], ms: performance.now() - started, crash: String((thrown as Error)?.stack ?? thrown) };
  }
  postMessage(result);
};
