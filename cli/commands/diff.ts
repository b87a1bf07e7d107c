import { diff as diffAnalyses, renderDiff } from '../../compiler/report/index.js';
import { analyzePrograms } from '../analyze.js';
import { loadSpecs, printDiagnostics } from '../load.js';

export interface DiffOptions {
  readonly network?: string;
  readonly format: 'table' | 'json' | 'markdown';
}

/** `gnet diff A B`: per-block changes from A's network to B's (the first network of each, or --network). */
export async function diff(a: string, b: string, options: DiffOptions): Promise<number> {
  const loaded = loadSpecs([a, b], { network: options.network });
  const analyzed = analyzePrograms(loaded.programs, 1);
  const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
  if (diagnostics.length) printDiagnostics({ diagnostics, sources: loaded.sources });
  if (loaded.failed || diagnostics.some((d) => d.severity === 'error')) return 1;
  const [before, after] = [loaded.programs[0]!.graphs[0], loaded.programs[1]!.graphs[0]];
  if (!before || !after) {
    process.stderr.write('gnet: each file must declare a network to compare\n');
    return 1;
  }
  const find = (name: string) => analyzed.analyses.find((x) => x.graph === before || x.graph.name === name);
  const d = diffAnalyses(analyzed.analyses.find((x) => x.graph === before) ?? find(before.name)!, analyzed.analyses.find((x) => x.graph === after)!);
  if (options.format === 'json') process.stdout.write(JSON.stringify(d, null, 2) + '\n');
  else process.stdout.write(renderDiff(d) + '\n');
  return 0;
}
