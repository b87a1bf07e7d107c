/**
 * Go to definition, find references and rename, across files: a use resolves to its definition; a
 * block's references include the importing files' `import { name }` and every use there.
 */
import type { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { Span } from '../../compiler/index.js';
import { hitAt, type Def, type FileIndex, type Target } from '../file-index.js';
import { LineMap } from '../positions.js';
import { pathToUri } from '../uri.js';
import type { Workspace } from '../workspace.js';

export interface Resolved {
  readonly path: string;
  readonly def: Def;
}

const KEYWORDS = new Set(['network', 'block', 'import', 'from', 'input', 'output', 'shared', 'for', 'in', 'if', 'else', 'budget', 'train', 'experiment', 'true', 'false']);

const same = (a: Def, b: Def) => a.span.file === b.span.file && a.span.start === b.span.start && a.span.end === b.span.end;

/** Follows imports to the block's own definition. */
export function resolveTarget(ws: Workspace, target: Target): Resolved | undefined {
  if (target.kind === 'def') return resolveDef(ws, target.def);
  if (target.kind === 'imported') {
    const def = ws.indexOf(target.file)?.root.defs.get(target.name);
    return def ? { path: target.file, def } : undefined;
  }
  return undefined;
}

export function resolveDef(ws: Workspace, def: Def): Resolved {
  if (def.kind === 'import' && def.importPath) {
    const original = ws.indexOf(def.importPath)?.root.defs.get(def.name);
    if (original && original.kind === 'block') return { path: def.importPath, def: original };
  }
  return { path: def.span.file, def };
}

/** What the cursor is on, as a definition (following imports). */
export function symbolAt(ws: Workspace, index: FileIndex, offset: number): Resolved | { importFile: string; span: Span } | undefined {
  const hit = hitAt(index, offset);
  if (!hit) return undefined;
  if (hit.kind === 'import-path') return hit.info.target ? { importFile: hit.info.target, span: hit.info.decl.pathSpan } : undefined;
  if (hit.kind === 'def') return resolveDef(ws, hit.def);
  return resolveTarget(ws, hit.ref.target);
}

function location(ws: Workspace, span: Span): Location | undefined {
  const text = ws.text(span.file);
  return text === undefined ? undefined : { uri: pathToUri(span.file), range: new LineMap(text).range(span) };
}

export function definition(ws: Workspace, index: FileIndex, offset: number): Location | null {
  const s = symbolAt(ws, index, offset);
  if (!s) return null;
  if ('importFile' in s) return { uri: pathToUri(s.importFile), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  return location(ws, s.def.span) ?? null;
}

/** Every span naming this definition: the definition itself (when asked), uses, and imports of it elsewhere. */
export function referenceSpans(ws: Workspace, r: Resolved, includeDeclaration: boolean): Span[] {
  const spans: Span[] = includeDeclaration && !r.def.implicit ? [r.def.span] : [];
  const home = ws.indexOf(r.path);
  if (!home) return spans;
  for (const ref of home.refs) if (ref.target.kind === 'def' && same(ref.target.def, r.def)) spans.push(ref.span);
  const topLevel = r.def.kind === 'block' && home.root.defs.get(r.def.name) === r.def;
  if (!topLevel) return spans;
  for (const file of ws.files()) {
    if (file === r.path) continue;
    const index = ws.indexOf(file);
    if (!index) continue;
    const importDefs = index.defs.filter((d) => d.kind === 'import' && d.importPath === r.path && d.name === r.def.name);
    spans.push(...importDefs.map((d) => d.span));
    for (const ref of index.refs) {
      if (ref.target.kind === 'imported' && ref.target.file === r.path && ref.target.name === r.def.name) spans.push(ref.span);
      else if (ref.target.kind === 'def' && importDefs.some((d) => same(d, (ref.target as { def: Def }).def))) spans.push(ref.span);
    }
  }
  return spans;
}

export function references(ws: Workspace, index: FileIndex, offset: number, includeDeclaration: boolean): Location[] {
  const s = symbolAt(ws, index, offset);
  if (!s || 'importFile' in s) return [];
  return referenceSpans(ws, s, includeDeclaration).flatMap((span) => location(ws, span) ?? []);
}

export function prepareRename(ws: Workspace, index: FileIndex, offset: number, lines: LineMap): Range | null {
  const hit = hitAt(index, offset);
  const s = symbolAt(ws, index, offset);
  if (!hit || hit.kind === 'import-path' || !s || 'importFile' in s || s.def.implicit) return null;
  return lines.range(hit.kind === 'ref' ? hit.ref.span : hit.def.span);
}

/** A rename edit, or a message saying why the name cannot be used. */
export function rename(ws: Workspace, index: FileIndex, offset: number, newName: string): WorkspaceEdit | string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || KEYWORDS.has(newName)) return `\`${newName}\` is not a valid name (letters, digits and _, not a keyword)`;
  const s = symbolAt(ws, index, offset);
  if (!s || 'importFile' in s || s.def.implicit) return 'only values, parameters, blocks and networks can be renamed';
  const changes: Record<string, TextEdit[]> = {};
  for (const span of referenceSpans(ws, s, true)) {
    const loc = location(ws, span);
    if (loc) (changes[loc.uri] ??= []).push({ range: loc.range, newText: newName });
  }
  return { changes };
}
