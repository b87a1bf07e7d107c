/**
 * What every name of a file means, position by position, in a form two resolutions of the same
 * token sequence can be compared by: symbols by the index of their first site among the file's
 * names (a rename changes lengths, not order), uses by the symbol, built-in or word they resolve to.
 */
import type { NameDef, NameRef, NameTable, Target } from '../../compiler/elaborate/names.js';

export type Occurrence =
  | { readonly kind: 'site'; readonly start: number; readonly def: NameDef }
  | { readonly kind: 'ref'; readonly start: number; readonly ref: NameRef };

/** Every site and use of a file, in source order. */
export function occurrences(table: NameTable): Occurrence[] {
  const sites = table.sites.map((s): Occurrence => ({ kind: 'site', start: s.span.start, def: s.def }));
  const refs = table.refs.map((r): Occurrence => ({ kind: 'ref', start: r.span.start, ref: r }));
  return [...sites, ...refs].sort((a, b) => a.start - b.start);
}

export interface Meaning {
  readonly key: string;
  /** In words, for messages: "the value `x`", "the built-in block `relu`". */
  readonly words: string;
}

/** The meaning of each occurrence; `tableOf` gives other files' resolutions (imports). */
export function meanings(table: NameTable, occ: readonly Occurrence[], tableOf: (path: string) => NameTable | undefined): Meaning[] {
  const indexes = new Map<NameTable, Map<number, number>>();
  const indexIn = (t: NameTable, start: number): number => {
    let map = indexes.get(t);
    if (!map) {
      map = new Map((t === table ? occ : occurrences(t)).map((o, i) => [o.start, i]));
      indexes.set(t, map);
    }
    return map.get(start) ?? -1;
  };
  const ofDef = (def: NameDef, t: NameTable): Meaning => ({ key: `def:${t.file}#${indexIn(t, def.span.start)}`, words: `the ${def.kind === 'import' ? 'imported name' : def.kind} \`${def.name}\`` });
  const home = (file: string, name: string): Meaning => {
    const t = tableOf(file);
    const def = t?.root.defs.get(name);
    return t && def ? ofDef(def, t) : { key: `missing:${file}:${name}`, words: `nothing (\`${name}\` is not in \`${file}\`)` };
  };
  const paramOf = (block: Meaning & { def?: NameDef; t?: NameTable }, name: string): Meaning => {
    const param = block.def?.body?.defs.get(name);
    return param && block.t ? ofDef(param, block.t) : { key: `no-param:${block.key}:${name}`, words: `no parameter of ${block.words}` };
  };
  const blockOf = (target: Target): Meaning & { def?: NameDef; t?: NameTable } => {
    if (target.kind === 'def' && target.def.kind === 'import' && target.def.importPath) {
      const t = tableOf(target.def.importPath);
      const def = t?.root.defs.get(target.def.name);
      return t && def ? { ...ofDef(def, t), def, t } : { key: 'missing', words: 'a missing import' };
    }
    if (target.kind === 'def') return { ...ofDef(target.def, table), def: target.def, t: table };
    if (target.kind === 'imported') {
      const t = tableOf(target.file);
      const def = t?.root.defs.get(target.name);
      return t && def ? { ...ofDef(def, t), def, t } : home(target.file, target.name);
    }
    return of(target);
  };
  const of = (target: Target): Meaning => {
    switch (target.kind) {
      case 'def': {
        const local = ofDef(target.def, table);
        if (target.def.kind !== 'import' || !target.def.importPath) return local;
        const imported = home(target.def.importPath, target.def.name);
        return { key: `${local.key}->${imported.key}`, words: local.words };
      }
      case 'imported': return home(target.file, target.name);
      case 'param': return paramOf({ ...ofDef(target.block, table), def: target.block, t: table }, target.name);
      case 'builtin': return { key: `builtin:${target.name}`, words: `the built-in block \`${target.name}\`` };
      case 'function': return { key: `function:${target.name}`, words: `\`${target.name}\`` };
      case 'unknown': return { key: 'unknown', words: 'an undefined name' };
    }
  };
  return occ.map((o) => {
    if (o.kind === 'site') return { key: `site:${indexIn(table, o.def.span.start)}`, words: `the ${o.def.kind} \`${o.def.name}\`` };
    const ref = o.ref;
    if (ref.role === 'arg' && ref.target.kind !== 'param') {
      const callee = ref.callee;
      if (callee?.kind === 'builtin') return { key: `builtin-arg:${callee.name}:${ref.name}`, words: `the argument \`${ref.name}\` of \`${callee.name}\`` };
      if (callee?.kind === 'def' || callee?.kind === 'imported') return paramOf(blockOf(callee), ref.name);
      return { key: `unknown-arg:${ref.name}`, words: 'an unknown argument' };
    }
    const m = of(ref.target);
    return ref.target.kind === 'unknown' ? { key: `unknown:${ref.name}`, words: m.words } : m;
  });
}
