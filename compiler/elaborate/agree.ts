import type { Span } from '../diagnostics/diagnostic.js';
import { refAt, type NameTable, type Target } from './names.js';
import { sameSite, type UseLog, type UseSite } from './uses.js';

/** A use the elaborator bound to a site that name resolution does not give it. */
export interface Disagreement {
  readonly use: Span;
  readonly name: string;
  readonly elaborated: readonly UseSite[];
}

/**
 * Holds name resolution to the elaborator: every use of `table`'s file that the elaborator looked
 * up and found bound must resolve to a symbol one of whose sites it was bound to (`in` to a block's
 * `in`; an imported name to the imported file's block). `tableOf` gives other files' tables.
 */
export function disagreements(table: NameTable, uses: UseLog, tableOf: (path: string) => NameTable | undefined): Disagreement[] {
  const out: Disagreement[] = [];
  for (const [start, elaborated] of uses.usesIn(table.file)) {
    const ref = refAt(table, start);
    const allowed = ref && ref.span.start === start ? sitesOf(ref.target, tableOf) : [];
    if (!elaborated.every((site) => allowed.some((a) => sameSite(a, site)))) {
      out.push({ use: ref?.span ?? { file: table.file, start, end: start }, name: ref?.name ?? '', elaborated });
    }
  }
  return out;
}

/** The sites a use resolved to `target` may be bound to. */
export function sitesOf(target: Target, tableOf: (path: string) => NameTable | undefined): readonly UseSite[] {
  if (target.kind === 'imported') return tableOf(target.file)?.root.defs.get(target.name)?.sites ?? [];
  if (target.kind !== 'def') return [];
  const def = target.def;
  if (def.implicit) return ['in'];
  if (def.kind !== 'import') return def.sites;
  const home = def.importPath ? tableOf(def.importPath)?.root.defs.get(def.name) : undefined;
  // A named import that failed binds the name to an error at the import itself.
  return home ? [...home.sites, ...def.sites] : def.sites;
}
