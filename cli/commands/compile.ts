import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { loadSpecs, noNetworkLines, printDiagnostics, relativePath } from '../load.js';

export type CompileTarget = 'tfjs' | 'torch';

export interface CompileCommandOptions {
  readonly network?: string;
  readonly out: string;
  readonly param?: Map<string, number | string>;
  /** tfjs (default): a TypeScript module per network; torch: a PyTorch module per network plus the gnet_torch package. */
  readonly target?: CompileTarget;
}

/** Source paths as the user sees them, with forward slashes so generated files read the same on every OS. */
const displayPath = (file: string) => relativePath(file).split(sep).join('/');

/**
 * `gnet compile FILE [--network N] [--target tfjs|torch] --out DIR`: one module per network,
 * DIR/<network>.ts (TensorFlow.js) or DIR/<network>.py (PyTorch, with the gnet_torch package copied
 * to DIR/gnet_torch). Nothing is written unless every network compiles and analyses without errors.
 * Exit 0 or 1.
 */
export async function compile(file: string, opts: CompileCommandOptions): Promise<number> {
  const [{ analyzePrograms }, codegen] = await Promise.all([import('../analyze.js'), import('../../compiler/codegen/index.js')]);
  const loaded = loadSpecs([file], { network: opts.network, params: opts.param });
  const analyzed = loaded.failed ? { analyses: [], diagnostics: [] } : analyzePrograms(loaded.programs, 1);
  const all = { ...loaded, diagnostics: [...loaded.diagnostics, ...analyzed.diagnostics] };
  printDiagnostics(all);
  if (all.diagnostics.some((d) => d.severity === 'error')) return 1;
  for (const line of noNetworkLines([file], loaded.programs, 'compile')) process.stderr.write(line + '\n');
  if (analyzed.analyses.length === 0) return 0;
  const options = { sources: loaded.sources, displayPath };
  const modules = analyzed.analyses.map((analysis) => {
    if (opts.target !== 'torch') return { path: join(opts.out, `${analysis.graph.name}.ts`), text: codegen.generateModule(analysis.graph, analysis, options) };
    const module = codegen.generateTorch(analysis.graph, analysis, options);
    return { path: join(opts.out, `${module.network}.py`), text: module.source };
  });
  mkdirSync(opts.out, { recursive: true });
  if (opts.target === 'torch') {
    const { writeTorchPackage } = await import('../../runtime/torch/package.js');
    process.stdout.write(`wrote ${relativePath(writeTorchPackage(opts.out))}${sep}\n`);
  }
  for (const { path, text } of modules) {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${relativePath(path)}\n`);
  }
  return 0;
}
