/**
 * The equivalence fixtures compiled in memory: spec → IR → generated TypeScript → JavaScript →
 * module, imported on this process's tfjs engine (the same path `gnet train` takes).
 */
import { fileURLToPath } from 'node:url';
import { analyzeGraph } from '../../../compiler/analysis/index.js';
import { generateModule, transpileModule } from '../../../compiler/codegen/index.js';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.js';
import { compileProgram } from '../../../compiler/program.js';
import { fileHost } from '../../../cli/host.js';
import type { GeneratedModule } from '../../../runtime/generated-module.js';
import { importGenerated } from '../../../runtime/load-generated.js';

/** Networks that together use every built-in block. */
export const EVERY_BLOCK_SPEC = fileURLToPath(new URL('../fixtures/every-block.gnet', import.meta.url));

export interface CompiledNetwork {
  readonly name: string;
  /** The block kind of every IR node. */
  readonly ops: readonly string[];
  readonly module: GeneratedModule;
}

function failOnErrors(diagnostics: readonly Diagnostic[], file: string): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file} does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
}

export async function compileNetworks(file = EVERY_BLOCK_SPEC): Promise<CompiledNetwork[]> {
  const program = compileProgram(file, fileHost);
  failOnErrors(program.diagnostics, file);
  const networks: CompiledNetwork[] = [];
  for (const graph of program.graphs) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyzeGraph(graph, {}, (d) => diagnostics.push(d));
    failOnErrors(diagnostics, file);
    const source = generateModule(graph, analysis, { sources: program.sources });
    networks.push({ name: graph.name, ops: graph.nodes.map((n) => n.op), module: await importGenerated(transpileModule(source)) });
  }
  return networks;
}
