/**
 * The network a deployed model runs (gauss layers frozen into convolutions) and its generated
 * module: shared by `gnet export` and the playground's download, so it imports only the compiler.
 */
import { analyzeGraph, type Analysis } from '../compiler/analysis/index.js';
import { generateModule } from '../compiler/codegen/index.js';
import { hasErrors, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { IRGraph } from '../compiler/ir/ir.js';

/**
 * The graph a deployed model runs: every gauss layer replaced by the ordinary convolution its frozen
 * kernels form (same filters, size, stride, padding, rounding and bias), so inference needs no gauss code.
 * The spec's budgets describe the network as trained (a frozen kernel holds more numbers than the
 * Gaussian parameters it came from), so the deployed graph carries none.
 */
export function deployedGraph(graph: IRGraph): IRGraph {
  return {
    ...graph,
    budgets: [],
    nodes: graph.nodes.map((n) => {
      if (n.op !== 'gauss') return n;
      const { filters, size, stride, padding, bias, round } = n.attrs;
      return { ...n, op: 'conv', attrs: { filters: filters!, size: size!, stride: stride!, dilation: 1, padding: padding!, groups: 1, bias: bias!, round: round! } };
    }),
  };
}

/** The generated module's source for another graph of the same spec (the deployed one). */
export function generateFor(graph: IRGraph, sources: ReadonlyMap<string, string>): { source: string; analysis: Analysis } {
  const diagnostics: Diagnostic[] = [];
  const analysis = analyzeGraph(graph, { batch: 1 }, (d) => diagnostics.push(d));
  if (hasErrors(diagnostics)) throw new Error(`deployed graph does not analyse: ${diagnostics[0]!.message}`);
  return { source: generateModule(graph, analysis, { sources }), analysis };
}
