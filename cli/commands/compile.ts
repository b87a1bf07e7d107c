import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { loadSpecs, noNetworkLines, printDiagnostics, relativePath } from '../load.js';

export interface CompileCommandOptions {
  readonly network?: string;
  readonly out: string;
  readonly param?: Map<string, number | string>;
}

/** Source paths as the user sees them, with forward slashes so generated files read the same on every OS. */
const displayPath = (file: string) => relativePath(file).split(sep).join('/');

/**
 * `gnet compile FILE [--network N] --out DIR`: one TypeScript module per network, DIR/<network>.ts.
 * Nothing is written unless every network compiles and analyses without errors. Exit 0 or 1.
 */
export async function compile(file: string, opts: CompileCommandOptions): Promise<number> {
  const [{ analyzePrograms }, { generateModule }] = await Promise.all([import('../analyze.js'), import('../../compiler/codegen/index.js')]);
  const loaded = loadSpecs([file], { network: opts.network, params: opts.param });
  const analyzed = loaded.failed ? { analyses: [], diagnostics: [] } : analyzePrograms(loaded.programs, 1);
  const all = { ...loaded, diagnostics: [...loaded.diagnostics, ...analyzed.diagnostics] };
  printDiagnostics(all);
  if (all.diagnostics.some((d) => d.severity === 'error')) return 1;
  for (const line of noNetworkLines([file], loaded.programs, 'compile')) process.stderr.write(line + '\n');
  if (analyzed.analyses.length === 0) return 0;
  const modules = analyzed.analyses.map((analysis) => ({
    path: join(opts.out, `${analysis.graph.name}.ts`),
    text: generateModule(analysis.graph, analysis, { sources: loaded.sources, displayPath }),
  }));
  mkdirSync(opts.out, { recursive: true });
  for (const { path, text } of modules) {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${relativePath(path)}\n`);
  }
  return 0;
}
