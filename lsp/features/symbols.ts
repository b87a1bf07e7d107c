/** Document symbols (networks, blocks and the values, parameters and nested blocks inside; experiments) and workspace symbols. */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { Def, DefKind, FileIndex } from '../file-index.js';
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

const inside = (outer: Def, inner: Def) => inner !== outer && outer.whole.start <= inner.whole.start && inner.whole.end <= outer.whole.end;

export function documentSymbols(index: FileIndex, lines: LineMap): DocumentSymbol[] {
  const defs = index.defs.filter((d) => !d.implicit);
  const containers = defs.filter((d) => d.kind === 'block' || d.kind === 'network');
  const children = new Map<Def | undefined, Def[]>();
  for (const d of defs) {
    let parent: Def | undefined;
    for (const c of containers) if (inside(c, d) && (!parent || inside(parent, c))) parent = c;
    const list = children.get(parent);
    if (list) list.push(d);
    else children.set(parent, [d]);
  }
  const build = (def: Def): DocumentSymbol => ({
    name: def.name,
    kind: KIND[def.kind],
    detail: def.kind,
    range: lines.range(def.whole),
    selectionRange: lines.range(def.span),
    children: (children.get(def) ?? []).map(build),
  });
  const experiments = index.ast.experiments.map((x): DocumentSymbol => ({
    name: x.name || 'experiment',
    kind: SymbolKind.Event,
    detail: 'experiment',
    range: lines.range(x.span),
    selectionRange: lines.range(x.nameSpan),
  }));
  return [...(children.get(undefined) ?? []).map(build), ...experiments].sort((a, b) => a.range.start.line - b.range.start.line);
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

export function workspaceSymbols(indexes: readonly { index: FileIndex; text: string }[], query: string, limit = 500): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const { index, text } of indexes) {
    let lines: LineMap | undefined;
    for (const def of index.defs) {
      if (def.implicit || def.kind === 'import' || def.kind === 'loop' || !matches(def.name, query)) continue;
      lines ??= new LineMap(text);
      out.push({ name: def.name, kind: KIND[def.kind], location: { uri: pathToUri(index.file), range: lines.range(def.span) } });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
