/**
 * Rename, checked before anything is edited. The edit renames every site and use of one symbol
 * (navigation.ts), in open documents only, as versioned edits where the client takes them. It is
 * refused, with a coded reason, when the new name is no name, when a file it would change is not
 * open, when the compiler bound a use differently from name resolution, and when, applied to the
 * text and resolved again, any name in any affected file would mean something else: a clash with a
 * name already bound there, a use captured by the new name, a block the new name would hide.
 */
import type { Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { relative } from 'node:path';
import type { Span } from '../../compiler/index.js';
import { disagreements } from '../../compiler/elaborate/agree.js';
import type { NameDef, NameTable } from '../../compiler/elaborate/names.js';
import { resolveNames } from '../../compiler/elaborate/resolve.js';
import { parseSource } from '../../compiler/syntax/parse.js';
import { allTokens } from '../../compiler/syntax/tokens.js';
import { coded, LSP_CODES } from '../codes.js';
import { LineMap } from '../positions.js';
import { pathToUri } from '../uri.js';
import type { Workspace } from '../workspace.js';
import { hitAt, locations, referenceSpans, resolveRef, resolveDef, type Resolved } from './navigation.js';
import { meanings, occurrences } from './rename-check.js';

export type Refusal = { readonly code: string; readonly message: string };

const KEYWORDS = new Set(allTokens.filter((t) => t.LONGER_ALT !== undefined).map((t) => String(t.PATTERN).replace(/^\/|\/$/g, '')));
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const refuse = (code: string, message: string): Refusal => ({ code, message: coded(code, message) });

interface Plan {
  readonly symbol: Resolved;
  /** The name under the cursor (a use or a site). */
  readonly at: Span;
  /** Spans to rewrite, by file. */
  readonly edits: ReadonlyMap<string, readonly Span[]>;
}

/** What a rename at `offset` would rewrite, or why nothing there can be renamed. */
function plan(ws: Workspace, table: NameTable, offset: number): Plan | Refusal {
  const hit = hitAt(table, offset);
  if (!hit) return refuse(LSP_CODES.notRenamable, 'there is no name here to rename');
  if (hit.kind === 'import-path') return refuse(LSP_CODES.notRenamable, 'this is a file name: rename the file, then the import path');
  const at = hit.kind === 'ref' ? hit.ref.span : hit.def.sites.find((s) => s.start <= offset && offset <= s.end)!;
  let symbol: Resolved | undefined;
  if (hit.kind === 'def') symbol = resolveDef(ws, hit.def);
  else {
    const { ref } = hit;
    symbol = resolveRef(ws, ref);
    if (!symbol) {
      const t = ref.role === 'arg' ? ref.callee : ref.target;
      if (ref.role === 'arg' && t?.kind === 'builtin') return refuse(LSP_CODES.notRenamable, `\`${ref.name}\` is an argument of the built-in block \`${t.name}\``);
      if (t?.kind === 'builtin') return refuse(LSP_CODES.notRenamable, `\`${ref.name}\` is a built-in block`);
      if (t?.kind === 'function') return refuse(LSP_CODES.notRenamable, `\`${ref.name}\` is a name the compiler knows (a function or a training setting)`);
      return refuse(LSP_CODES.notRenamable, `\`${ref.name}\` is not defined anywhere, so there is nothing to rename`);
    }
  }
  if (symbol.def.implicit) return refuse(LSP_CODES.notRenamable, '`in` is the value flowing into the block; it is not a name you chose, so it cannot be renamed');
  const byFile = new Map<string, Span[]>();
  for (const span of referenceSpans(ws, symbol, true, ws.files())) {
    const list = byFile.get(span.file) ?? [];
    if (!list.some((s) => s.start === span.start)) list.push(span);
    byFile.set(span.file, list);
  }
  const unopened = [...byFile.keys()].filter((f) => !ws.isOpen(f));
  if (unopened.length) {
    const names = unopened.map((f) => `\`${relative(process.cwd(), f) || f}\``).join(', ');
    return refuse(LSP_CODES.renameUnopened, `renaming \`${symbol.def.name}\` would also change ${names}, which ${unopened.length === 1 ? 'is' : 'are'} not open: open ${unopened.length === 1 ? 'it' : 'them'} and rename again (the server edits only files it has analysed)`);
  }
  return { symbol, at, edits: byFile };
}

export function prepareRename(ws: Workspace, table: NameTable, offset: number, lines: LineMap): { range: Range; placeholder: string } | Refusal {
  const p = plan(ws, table, offset);
  if ('code' in p) return p;
  return { range: lines.range(p.at), placeholder: p.symbol.def.name };
}

export interface RenameOptions {
  /** The client applies versioned `documentChanges` (refused if the document changed meanwhile). */
  readonly documentChanges: boolean;
}

export function rename(ws: Workspace, table: NameTable, offset: number, newName: string, options: RenameOptions): WorkspaceEdit | Refusal {
  const p = plan(ws, table, offset);
  if ('code' in p) return p;
  const old = p.symbol.def.name;
  if (!NAME.test(newName) || KEYWORDS.has(newName)) {
    return refuse(LSP_CODES.badName, `\`${newName}\` is not a valid name: use letters, digits and \`_\`, not starting with a digit, and no keyword`);
  }
  if (newName === old) return { changes: {} };
  const inconsistent = compilerDisagrees(ws, [...p.edits.keys()]);
  if (inconsistent) return inconsistent;
  const problem = changedMeaning(ws, p, newName);
  if (problem) return problem;
  return workspaceEdit(ws, p.edits, newName, options);
}

/** GN0235: a use the compiler bound to another definition than name resolution gives it. */
function compilerDisagrees(ws: Workspace, files: readonly string[]): Refusal | undefined {
  for (const file of files) {
    const analysis = ws.analysis(file);
    const found = disagreements(analysis.names, analysis.program.uses!, (path) => ws.namesOf(path))[0];
    if (found) {
      const where = analysis.lines.position(found.use.start);
      return refuse(LSP_CODES.renameInconsistent, `the compiler binds \`${found.name}\` at ${where.line + 1}:${where.character + 1} differently from the editor's name resolution, so the rename is not safe; please report this with the file`);
    }
  }
  return undefined;
}

/**
 * Applies the rename to the text of every edited file, resolves them and every open file that
 * imports one of them again, and compares: every symbol the same sites, every use the same meaning.
 */
function changedMeaning(ws: Workspace, p: Plan, newName: string): Refusal | undefined {
  const edited = [...p.edits.keys()];
  const texts = new Map<string, string>();
  for (const [file, spans] of p.edits) texts.set(file, applyRename(ws.text(file)!, spans, newName));
  const renamed = new Map<string, NameTable>();
  const tableAfter = (path: string): NameTable | undefined => {
    const text = texts.get(path);
    if (text === undefined) return ws.namesOf(path);
    let table = renamed.get(path);
    if (!table) {
      const blocksOf = (q: string) => {
        const t = tableAfter(q);
        return t ? new Set(t.defs.filter((d) => d.kind === 'block' && d.scope.parent === undefined).map((d) => d.name)) : undefined;
      };
      table = resolveNames(parseSource(text, path).ast, text.length, blocksOf);
      renamed.set(path, table);
    }
    return table;
  };
  const importers = ws.openPaths().filter((f) => !texts.has(f) && edited.some((e) => ws.analysis(f).deps.has(e)));
  for (const file of [...edited, ...importers]) {
    const before = ws.namesOf(file);
    const after = tableAfter(file);
    if (!before || !after) continue;
    const problem = compare(before, after, (path) => ws.namesOf(path), tableAfter, ws.text(file)!, texts.get(file) ?? ws.text(file)!, p, newName);
    if (problem) return problem;
  }
  return undefined;
}

function compare(
  before: NameTable,
  after: NameTable,
  tableBefore: (path: string) => NameTable | undefined,
  tableAfter: (path: string) => NameTable | undefined,
  textBefore: string,
  textAfter: string,
  p: Plan,
  newName: string,
): Refusal | undefined {
  const old = occurrences(before);
  const now = occurrences(after);
  const file = shortName(before.file);
  if (old.length !== now.length || old.some((o, i) => o.kind !== now[i]!.kind)) {
    return refuse(LSP_CODES.renameCapture, `\`${newName}\` would change how ${file} parses`);
  }
  const was = meanings(before, old, tableBefore);
  const is = meanings(after, now, tableAfter);
  const at = (start: number, text: string) => {
    const pos = new LineMap(text).position(start);
    return `${file}:${pos.line + 1}:${pos.character + 1}`;
  };
  for (let i = 0; i < old.length; i++) {
    if (was[i]!.key === is[i]!.key) continue;
    const o = old[i]!;
    const n = now[i]!;
    if (o.kind === 'site' && n.kind === 'site') {
      // A site now belongs to another symbol: two symbols merged under the new name.
      const other = o.def.name === p.symbol.def.name ? n.def : o.def;
      const otherSite = other.span === n.def.span ? at(n.def.span.start, textAfter) : at(o.def.span.start, textBefore);
      return refuse(LSP_CODES.renameClash, `\`${newName}\` is already declared ${scopeWords(other)} (${otherSite}); pick another name`);
    }
    const name = n.kind === 'ref' ? n.ref.name : newName;
    return refuse(LSP_CODES.renameCapture, `after renaming \`${p.symbol.def.name}\` to \`${newName}\`, \`${name}\` at ${at(n.start, textAfter)} would mean ${is[i]!.words} instead of ${was[i]!.words}; pick another name`);
  }
  return undefined;
}

function scopeWords(def: NameDef): string {
  const owner = def.scope.owner;
  if (owner) return `in ${owner.kind} \`${owner.name}\``;
  return def.scope.parent ? 'in this loop' : 'in this file';
}

const shortName = (file: string): string => relative(process.cwd(), file) || file;

function applyRename(text: string, spans: readonly Span[], newName: string): string {
  let out = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) out = out.slice(0, span.start) + newName + out.slice(span.end);
  return out;
}

function workspaceEdit(ws: Workspace, edits: ReadonlyMap<string, readonly Span[]>, newName: string, options: RenameOptions): WorkspaceEdit {
  const perFile = [...edits].map(([file, spans]) => ({
    file,
    edits: locations(ws, [...spans].sort((a, b) => a.start - b.start)).map((l): TextEdit => ({ range: l.range, newText: newName })),
  }));
  if (options.documentChanges) {
    return {
      documentChanges: perFile.map(({ file, edits: e }): TextDocumentEdit => ({ textDocument: { uri: pathToUri(file), version: ws.version(file) ?? null }, edits: e })),
    };
  }
  return { changes: Object.fromEntries(perFile.map(({ file, edits: e }) => [pathToUri(file), e])) };
}
