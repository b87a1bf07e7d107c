/**
 * The language features, request by request, on one Workspace: what an analysis thread answers
 * (worker.ts). Every answer is plain data (it crosses threads); a refusal is a coded error.
 */
import { ErrorCodes } from 'vscode-languageserver';
import type { Diagnostic } from '../compiler/index.js';
import type { NameDef, Target } from '../compiler/elaborate/names.js';
import type { FileAnalysis } from './analysis.js';
import { LineMap } from './positions.js';
import { uriToPath } from './uri.js';
import type { Workspace } from './workspace.js';
import { codeActions } from './features/code-actions.js';
import { completion } from './features/completion.js';
import { foldingRanges } from './features/folding.js';
import { formatting } from './features/formatting.js';
import { hover } from './features/hover.js';
import { inlayHints } from './features/inlay-hints.js';
import { definition, references, resolveTarget } from './features/navigation.js';
import { prepareRename, rename } from './features/rename.js';
import { semanticTokens } from './features/semantic-tokens.js';
import { signatureHelp } from './features/signature-help.js';
import { documentSymbols, workspaceSymbols } from './features/symbols.js';

/** What the client and the settings allow (sent to every analysis thread). */
export interface FeatureOptions {
  readonly snippets: boolean;
  readonly documentChanges: boolean;
}

export type Answer = { readonly result: unknown } | { readonly error: { readonly code: number; readonly message: string } };

/** Diagnostics sent per file at most; the rest are counted (the editor shows fewer still). */
const MAX_SENT_PER_FILE = 1000;

export interface AnalysisSummary {
  readonly key: string;
  readonly version: number | undefined;
  /** Every file the analysis read. */
  readonly deps: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics left out, by file. */
  readonly omitted: readonly [string, number][];
}

export function summarize(ws: Workspace, key: string): AnalysisSummary {
  const analysis = ws.analysis(key);
  const perFile = new Map<string, number>();
  const diagnostics: Diagnostic[] = [];
  for (const d of analysis.diagnostics) {
    const n = perFile.get(d.primary.span.file) ?? 0;
    perFile.set(d.primary.span.file, n + 1);
    if (n < MAX_SENT_PER_FILE) diagnostics.push(d);
  }
  const omitted = [...perFile].flatMap(([file, n]): [string, number][] => (n > MAX_SENT_PER_FILE ? [[file, n - MAX_SENT_PER_FILE]] : []));
  return { key, version: ws.version(key), deps: [...analysis.deps], diagnostics, omitted };
}

interface Position {
  readonly line: number;
  readonly character: number;
}

type Params = { readonly textDocument?: { readonly uri: string }; readonly position?: Position } & Record<string, unknown>;

const ok = (result: unknown): Answer => ({ result });

export function answer(ws: Workspace, options: FeatureOptions, method: string, params: Params): Answer {
  if (method === 'workspace/symbol') return ok(workspaceQuery(ws, String(params.query ?? '')));
  const file = ws.analysis(uriToPath(params.textDocument!.uri));
  const offset = params.position ? file.lines.offset(params.position) : 0;
  const names = file.names;
  switch (method) {
    case 'textDocument/hover':
      return ok(hover(file, offset, (t) => {
        const r = resolveTarget(ws, t);
        const text = r ? ws.text(r.path) : undefined;
        return r && text !== undefined ? { def: r.def, file: ws.cached(r.path), text } : undefined;
      }));
    case 'textDocument/completion': return ok(completion(file, offset, importedBlocks(ws, file), () => ws.files(), options));
    case 'textDocument/signatureHelp': return ok(signatureHelp(file, offset, userBlock(ws, file)));
    case 'textDocument/definition': return ok(definition(ws, names, offset));
    case 'textDocument/references': return ok(references(ws, names, offset, Boolean((params.context as { includeDeclaration?: boolean } | undefined)?.includeDeclaration)));
    case 'textDocument/prepareRename': return refusable(prepareRename(ws, names, offset, file.lines));
    case 'textDocument/rename': return refusable(rename(ws, names, offset, String(params.newName), options));
    case 'textDocument/documentSymbol': return ok(documentSymbols(names, file.lines));
    case 'textDocument/codeAction': return ok(codeActions(file, params.textDocument!.uri, (params.context as { diagnostics: [] }).diagnostics));
    case 'textDocument/formatting': return ok(formatting(file.path, new LineMap(file.text)));
    case 'textDocument/foldingRange': return ok(foldingRanges(file));
    case 'textDocument/inlayHint': {
      const range = params.range as { start: Position; end: Position };
      return ok(inlayHints(file, file.lines.offset(range.start), file.lines.offset(range.end)));
    }
    case 'textDocument/semanticTokens/full': return ok(semanticTokens(file));
    default: return { error: { code: ErrorCodes.MethodNotFound, message: `unhandled method ${method}` } };
  }
}

function refusable(r: unknown): Answer {
  return r && typeof r === 'object' && 'code' in r && 'message' in r && typeof (r as { code: unknown }).code === 'string'
    ? { error: { code: ErrorCodes.InvalidParams, message: (r as { message: string }).message } }
    : ok(r);
}

function workspaceQuery(ws: Workspace, query: string) {
  const tables = ws.files().flatMap((path) => {
    const table = ws.namesOf(path);
    const text = ws.text(path);
    return table && text !== undefined ? [{ table, text }] : [];
  });
  return workspaceSymbols(tables, query);
}

function imported(ws: Workspace, target: Target): { def: NameDef; text: string } | undefined {
  const r = resolveTarget(ws, target);
  const text = r ? ws.text(r.path) : undefined;
  return r && text !== undefined ? { def: r.def, text } : undefined;
}

/** Blocks the file's imports bring in, with their file's text (for signatures). */
const importedBlocks = (ws: Workspace, file: FileAnalysis) => () =>
  file.names.imports.flatMap(({ decl, target }) => {
    const names = target ? ws.namesOf(target) : undefined;
    const text = target ? ws.text(target) : undefined;
    if (!names || text === undefined) return [];
    const blocks = [...names.root.defs.values()].filter((d) => d.kind === 'block' && (!decl.names || decl.names.some((n) => n.name === d.name)));
    return blocks.map((def) => ({ def, text, from: decl.path }));
  });

const userBlock = (ws: Workspace, file: FileAnalysis) => (name: string) => {
  const def = file.names.root.lookup(name);
  if (def?.kind === 'block') return { def, text: file.text };
  if (def?.kind === 'import') return imported(ws, { kind: 'def', def });
  const found = importedBlocks(ws, file)().find((b) => b.def.name === name);
  return found ? { def: found.def, text: found.text } : undefined;
};
