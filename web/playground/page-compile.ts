import { analyzeGraph } from '../../compiler/analysis/index.js';
import { hasErrors, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileProgram } from '../../compiler/program.js';
import { EXAMPLES } from 'gnet:examples';

type Program = ReturnType<typeof compileProgram>;
type Graph = Program['graphs'][number];

/** A network of the page's text compiled and analysed, or the first error that stopped it. */
export type PageCompile =
  | { readonly ok: true; readonly program: Program; readonly graph: Graph; readonly analysis: NonNullable<ReturnType<typeof analyzeGraph>> }
  | { readonly ok: false; readonly firstError: string | undefined };

/** Compiles `network` of the edited file; imports resolve against the bundled examples. */
export function compileForPage(path: string, text: string, network: string): PageCompile {
  const host = { readFile: (file: string) => (file === path ? text : EXAMPLES[file]) };
  const program = compileProgram(path, host, { network });
  const graph = program.graphs[0];
  const diagnostics: Diagnostic[] = [...program.diagnostics];
  const analysis = graph && !hasErrors(diagnostics) ? analyzeGraph(graph, { batch: 1 }, (d) => diagnostics.push(d)) : undefined;
  if (!graph || !analysis || hasErrors(diagnostics)) return { ok: false, firstError: diagnostics.find((d) => d.severity === 'error')?.message };
  return { ok: true, program, graph, analysis };
}
