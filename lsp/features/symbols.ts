/** Document symbols (networks, blocks and the values, parameters and nested blocks inside; experiments) and workspace symbols. */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { DefKind, NameDef, NameScope, NameTable } from '../../compiler/elaborate/names.js';
import { LineMap } from '../positions.js';
import { pathToUri } from '../uri.js';

const KIND: Record<DefKind, SymbolKind> = {
  network: SymbolKind.Class,
  block: SymbolKind.Function,
  param: SymbolKind.TypeParameter,
  value: SymbolKind.Variable,
  input: SymbolKind.Variable,
  shared: SymbolKind.Object,
  loop: SymbolKind.Variable,
  import: SymbolKind.Module,
};

/** A scope's symbols, with those of the loops inside it (a loop is no symbol of its own), in source order. */
function members(scope: NameScope): NameDef[] {
  const out = scope.ordered.filter((d) => !d.implicit);
  for (const child of scope.children) if (!child.owner) out.push(...members(child));
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The outline, built from the scope tree in one walk (linear in the number of names). */
export function documentSymbols(table: NameTable, lines: LineMap): DocumentSymbol[] {
  const build = (def: NameDef): DocumentSymbol => ({
    name: def.name,
    kind: KIND[def.kind],
    detail: def.kind,
    range: lines.range(def.whole),
    selectionRange: lines.range(def.span),
    children: def.body ? members(def.body).map(build) : [],
  });
  const experiments = table.ast.experiments.map((x): DocumentSymbol => ({
    name: x.name || 'experiment',
    kind: SymbolKind.Event,
    detail: 'experiment',
    range: lines.range(x.span),
    selectionRange: lines.range(x.nameSpan),
  }));
  return [...members(table.root).map(build), ...experiments].sort((a, b) => a.range.start.line - b.range.start.line);
}

/** Fuzzy match as editors do: the query's characters in order. */
function matches(name: string, query: string): boolean {
  let i = 0;
  const lower = name.toLowerCase();
  for (const ch of query.toLowerCase()) {
    i = lower.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export function workspaceSymbols(tables: readonly { table: NameTable; text: string }[], query: string, limit = 500): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const { table, text } of tables) {
    let lines: LineMap | undefined;
    for (const def of table.defs) {
      if (def.implicit || def.kind === 'import' || def.kind === 'loop' || !matches(def.name, query)) continue;
      lines ??= new LineMap(text);
      out.push({ name: def.name, kind: KIND[def.kind], location: { uri: pathToUri(table.file), range: lines.range(def.span) } });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
