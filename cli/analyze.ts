import { analyzeGraph, type Analysis } from '../compiler/analysis/index.js';
import { sortDiagnostics, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { IRGraph, Shape } from '../compiler/ir/ir.js';
import type { Program } from '../compiler/program.js';

/** The graph with its first input resized (`--input 64x64x3`). */
export function withInputShape(graph: IRGraph, shape: Shape): IRGraph {
  const first = graph.inputs[0];
  if (!first) return graph;
  return {
    ...graph,
    inputs: graph.inputs.map((i) => (i === first ? { ...i, shape } : i)),
    nodes: graph.nodes.map((n) => (n.id === first.node ? { ...n, attrs: { ...n.attrs, shape } } : n)),
  };
}

export interface Analyzed {
  readonly analyses: readonly Analysis[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Analyses every graph of every program; later stages only run on graphs that elaborated cleanly. */
export function analyzePrograms(programs: readonly Program[], batch: number, input?: Shape): Analyzed {
  const diagnostics: Diagnostic[] = [];
  const analyses: Analysis[] = [];
  for (const p of programs) {
    if (p.diagnostics.some((d) => d.severity === 'error')) continue;
    for (const g of p.graphs) analyses.push(analyzeGraph(input ? withInputShape(g, input) : g, { batch }, (d) => diagnostics.push(d)));
  }
  return { analyses, diagnostics: sortDiagnostics(diagnostics) };
}
