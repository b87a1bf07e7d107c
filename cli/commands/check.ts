import { diagnosticToJSON } from '../../compiler/diagnostics/render.js';
import { displaySources, loadSpecs, noNetworkLines, printDiagnostics, relativePath } from '../load.js';

export interface CheckOptions {
  readonly format: 'text' | 'json';
  readonly param?: Map<string, number | string>;
}

/** `gnet check`: exit 0 when clean, 1 on errors. Shapes and budgets are checked too. */
export async function check(files: string[], options: CheckOptions): Promise<number> {
  const { analyzePrograms } = await import('../analyze.js');
  const loaded = loadSpecs(files, { params: options.param });
  const diagnostics = [...loaded.diagnostics, ...analyzePrograms(loaded.programs, 1).diagnostics];
  const all = { ...loaded, diagnostics };
  if (options.format === 'json') {
    const sources = displaySources(loaded.sources);
    const json = diagnostics.map((d) => diagnosticToJSON({ ...d, primary: { ...d.primary, span: { ...d.primary.span, file: relativePath(d.primary.span.file) } } }, sources));
    process.stdout.write(JSON.stringify({ diagnostics: json }, null, 2) + '\n');
  } else {
    printDiagnostics(all);
    const empty = noNetworkLines(files, loaded.programs, 'check beyond syntax');
    for (const line of empty) process.stderr.write(line + '\n');
    if (!diagnostics.some((d) => d.severity === 'error') && empty.length < files.length) process.stderr.write(`${files.join(', ')}: ok\n`);
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
