import { compareAnalyses, comparisonMarkdown, renderComparison, renderMarkdown, renderTable, toJSON } from '../../compiler/report/index.js';
import type { Shape } from '../../compiler/ir/ir.js';
import { analyzePrograms } from '../analyze.js';
import { loadSpecs, noNetworkLines, printDiagnostics, relativePath } from '../load.js';

export interface ReportOptions {
  readonly network?: string;
  readonly depth?: number;
  readonly batch: number;
  readonly input?: Shape;
  readonly format: 'table' | 'json' | 'markdown';
  readonly param?: Map<string, number | string>;
}

/** `gnet report`: one network → its table; several → each table, then a side-by-side comparison. */
export async function report(files: string[], options: ReportOptions): Promise<number> {
  const loaded = loadSpecs(files, { network: options.network, params: options.param });
  const analyzed = analyzePrograms(loaded.programs, options.batch, options.input);
  const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
  if (diagnostics.length) printDiagnostics({ diagnostics, sources: loaded.sources });
  if (loaded.failed) return 1;
  for (const line of noNetworkLines(files, loaded.programs, 'report')) process.stderr.write(line + '\n');
  const analyses = analyzed.analyses;
  const depth = options.depth === 0 ? undefined : options.depth;
  if (options.format === 'json') {
    // Lines and columns from the texts as read (absolute paths); then every source path, block or
    // budget, in the one convention of the diagnostics: relative to the working directory.
    const json = analyses.map((a) => {
      const r = toJSON(a, loaded.sources);
      const shown = <T extends { source: { file: string } }>(x: T): T => ({ ...x, source: { ...x.source, file: relativePath(x.source.file) } });
      return { ...r, blocks: r.blocks.map(shown), budgets: r.budgets.map(shown) };
    });
    process.stdout.write(JSON.stringify(json.length === 1 ? json[0] : json, null, 2) + '\n');
  } else {
    const render = options.format === 'markdown' ? renderMarkdown : renderTable;
    if (analyses.length) process.stdout.write(analyses.map((a) => render(a, { depth })).join('\n\n') + '\n');
    if (analyses.length > 1) {
      const c = compareAnalyses(analyses);
      process.stdout.write('\n' + (options.format === 'markdown' ? comparisonMarkdown(c) : renderComparison(c)) + '\n');
    }
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
