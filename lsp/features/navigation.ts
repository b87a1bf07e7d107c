/**
 * Go to definition and find references, across files, on the compiler's name resolution: a use
 * resolves to its symbol; a top-level block's references include the importing files' `import {
 * name }`, their uses and the named arguments of their calls; a parameter's include the named
 * arguments that set it. A symbol is an object of one resolution, never matched by position, so a
 * block's `in` (which has no site) is never taken for the block.
 */
import type { Location } from 'vscode-languageserver';
import type { Span } from '../../compiler/index.js';
import { defAt, refAt, type NameDef, type NameRef, type NameTable, type Target } from '../../compiler/elaborate/names.js';
import { LineMap } from '../positions.js';
import { pathToUri } from '../uri.js';
import type { Workspace } from '../workspace.js';

export interface Resolved {
  readonly path: string;
  readonly def: NameDef;
}

/** What the cursor is on: a use (resolved), a site, or an import's path string. */
export type Hit =
  | { readonly kind: 'ref'; readonly ref: NameRef }
  | { readonly kind: 'def'; readonly def: NameDef }
  | { readonly kind: 'import-path'; readonly target: string; readonly span: Span };

export function hitAt(table: NameTable, offset: number): Hit | undefined {
  const ref = refAt(table, offset);
  if (ref) return { kind: 'ref', ref };
  const def = defAt(table, offset);
  if (def) return { kind: 'def', def };
  const info = table.imports.find((i) => i.decl.pathSpan.start <= offset && offset <= i.decl.pathSpan.end);
  return info ? { kind: 'import-path', target: info.target, span: info.decl.pathSpan } : undefined;
}

/** Follows imports to the block's (or network's) own definition in its file. */
export function resolveDef(ws: Workspace, def: NameDef): Resolved {
  if (def.kind === 'import' && def.importPath) {
    const original = ws.namesOf(def.importPath)?.root.defs.get(def.name);
    if (original && (original.kind === 'block' || original.kind === 'network')) return { path: def.importPath, def: original };
  }
  return { path: def.span.file, def };
}

export function resolveTarget(ws: Workspace, target: Target): Resolved | undefined {
  switch (target.kind) {
    case 'def': return resolveDef(ws, target.def);
    case 'imported': {
      const def = ws.namesOf(target.file)?.root.defs.get(target.name);
      return def?.kind === 'block' ? { path: target.file, def } : undefined;
    }
    case 'param': {
      const def = target.block.body?.defs.get(target.name);
      return def ? { path: def.span.file, def } : undefined;
    }
    default: return undefined;
  }
}

/** A named argument: the parameter it sets, in the callee's own file. */
function argParam(ws: Workspace, ref: NameRef): Resolved | undefined {
  if (ref.target.kind === 'param') return resolveTarget(ws, ref.target);
  const callee = ref.callee ? resolveTarget(ws, ref.callee) : undefined;
  const param = callee?.def.body?.defs.get(ref.name);
  return param?.kind === 'param' ? { path: callee!.path, def: param } : undefined;
}

export function resolveRef(ws: Workspace, ref: NameRef): Resolved | undefined {
  return ref.role === 'arg' ? argParam(ws, ref) : resolveTarget(ws, ref.target);
}

/** The symbol under the cursor, following imports; or the file an import path names. */
export function symbolAt(ws: Workspace, table: NameTable, offset: number): Resolved | { importFile: string } | undefined {
  const hit = hitAt(table, offset);
  if (!hit) return undefined;
  if (hit.kind === 'import-path') return hit.target ? { importFile: hit.target } : undefined;
  if (hit.kind === 'def') return resolveDef(ws, hit.def);
  return resolveRef(ws, hit.ref);
}

export function location(ws: Workspace, span: Span): Location | undefined {
  return locations(ws, [span])[0];
}

/** Spans as locations, one line map per file. */
export function locations(ws: Workspace, spans: readonly Span[]): Location[] {
  const maps = new Map<string, LineMap | undefined>();
  return spans.flatMap((span) => {
    if (!maps.has(span.file)) {
      const text = ws.text(span.file);
      maps.set(span.file, text === undefined ? undefined : new LineMap(text));
    }
    const lines = maps.get(span.file);
    return lines ? [{ uri: pathToUri(span.file), range: lines.range(span) }] : [];
  });
}

export function definition(ws: Workspace, table: NameTable, offset: number): Location | null {
  const s = symbolAt(ws, table, offset);
  if (!s) return null;
  if ('importFile' in s) return { uri: pathToUri(s.importFile), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  return s.def.implicit ? null : (location(ws, s.def.span) ?? null);
}

/** The top-level block whose parameter `def` is (its parameters are set by name in other files too). */
const blockOfParam = (def: NameDef): NameDef | undefined => (def.kind === 'param' && !def.implicit && def.scope.owner?.scope.parent === undefined ? def.scope.owner : undefined);

/**
 * Every span naming this symbol in the given files: its sites (when asked), its uses, and for a
 * top-level block or network or a parameter of a top-level block, the imports, uses and named
 * arguments in other files.
 */
export function referenceSpans(ws: Workspace, r: Resolved, includeDeclaration: boolean, files: readonly string[]): Span[] {
  const spans: Span[] = includeDeclaration ? [...r.def.sites] : [];
  const home = ws.namesOf(r.path);
  if (!home) return spans;
  const owner = blockOfParam(r.def);
  const topLevel = r.def.scope.parent === undefined && (r.def.kind === 'block' || r.def.kind === 'network');
  for (const ref of home.refs) {
    if (ref.target.kind === 'def' && ref.target.def === r.def) spans.push(ref.span);
    else if (ref.role === 'arg' && argParam(ws, ref)?.def === r.def) spans.push(ref.span);
  }
  if (!topLevel && !owner) return spans;
  const block = owner ?? r.def;
  for (const file of files) {
    if (file === r.path) continue;
    const names = ws.namesOf(file);
    if (!names) continue;
    const imports = names.defs.filter((d) => d.kind === 'import' && d.importPath === r.path && d.name === block.name);
    const wholeFile = names.imports.some((i) => i.target === r.path && !i.decl.names);
    if (!imports.length && !wholeFile) continue;
    if (topLevel) for (const d of imports) spans.push(...d.sites);
    for (const ref of names.refs) {
      if (owner) {
        if (ref.role === 'arg' && ref.name === r.def.name && argParam(ws, ref)?.def === r.def) spans.push(ref.span);
      } else if (ref.target.kind === 'def' ? imports.includes(ref.target.def) : ref.target.kind === 'imported' && ref.target.file === r.path && ref.target.name === block.name) {
        spans.push(ref.span);
      }
    }
  }
  return spans;
}

export function references(ws: Workspace, table: NameTable, offset: number, includeDeclaration: boolean): Location[] {
  const s = symbolAt(ws, table, offset);
  if (!s || 'importFile' in s) return [];
  return locations(ws, referenceSpans(ws, s, includeDeclaration, ws.files()));
}
