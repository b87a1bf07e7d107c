/** Compiles a file with its uses recorded and resolves the names of every file it read (shared by the name tests). */
import { readFileSync } from 'node:fs';
import { disagreements, type Disagreement } from '../../compiler/elaborate/agree.js';
import type { NameTable } from '../../compiler/elaborate/names.js';
import { resolveNames } from '../../compiler/elaborate/resolve.js';
import { compileProgram, type Host, type Program } from '../../compiler/program.js';

export const diskHost = (overrides: ReadonlyMap<string, string> = new Map()): Host => ({
  readFile: (p) => {
    if (overrides.has(p)) return overrides.get(p);
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
});

export function resolvedProgram(entry: string, host: Host): { program: Program; tableOf: (path: string) => NameTable | undefined; disagreements: Disagreement[] } {
  const program = compileProgram(entry, host, { recordUses: true });
  const tables = new Map<string, NameTable | undefined>();
  const blocksOf = (path: string) => {
    const ast = program.syntax.get(path);
    return ast ? new Set(ast.decls.flatMap((d) => (d.kind === 'block' ? [d.name] : []))) : undefined;
  };
  const tableOf = (path: string) => {
    if (!tables.has(path)) {
      const ast = program.syntax.get(path);
      tables.set(path, ast ? resolveNames(ast, program.sources.get(path)!.length, blocksOf) : undefined);
    }
    return tables.get(path);
  };
  const found = [...program.syntax.keys()].flatMap((path) => disagreements(tableOf(path)!, program.uses!, tableOf));
  return { program, tableOf, disagreements: found };
}
