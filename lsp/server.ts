/**
 * `gnet lsp`: the language server over stdio. Documents are analysed one file at a time (the file as
 * entry, its imports read from open documents or disk); an edit re-analyses, after a short debounce,
 * the edited file and the open files that import it, and requests use the cached analysis.
 */
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, ResponseError, ErrorCodes,
  type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from './analysis.js';
import type { Def, Target } from './file-index.js';
import { LineMap } from './positions.js';
import { pathToUri, uriToPath } from './uri.js';
import { Workspace } from './workspace.js';
import { codeActions } from './features/code-actions.js';
import { completion } from './features/completion.js';
import { diagnosticsFor, toLspDiagnostic } from './features/diagnostics.js';
import { foldingRanges } from './features/folding.js';
import { formatting } from './features/formatting.js';
import { hover } from './features/hover.js';
import { inlayHints } from './features/inlay-hints.js';
import { definition, prepareRename, references, rename, resolveTarget } from './features/navigation.js';
import { semanticTokens, semanticTokensLegend } from './features/semantic-tokens.js';
import { signatureHelp } from './features/signature-help.js';
import { documentSymbols, workspaceSymbols } from './features/symbols.js';

export interface ServerSettings {
  /** Show output shapes after each pipeline stage. */
  inlayHints: boolean;
  /** Quiet time after the last keystroke before diagnostics are recomputed. */
  debounceMs: number;
}

const DEFAULTS: ServerSettings = { inlayHints: true, debounceMs: 150 };

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace();
  const settings: ServerSettings = { ...DEFAULTS };
  const timers = new Map<string, NodeJS.Timeout>();

  const apply = (options: unknown) => {
    const o = (options ?? {}) as Partial<ServerSettings>;
    if (typeof o.inlayHints === 'boolean') settings.inlayHints = o.inlayHints;
    if (typeof o.debounceMs === 'number' && o.debounceMs >= 0) settings.debounceMs = o.debounceMs;
  };

  connection.onInitialize((params): InitializeResult => {
    apply(params.initializationOptions);
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
    ws.setFolders(folders);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['>', '(', ',', '"', '/', ' '] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentFormattingProvider: true,
        foldingRangeProvider: true,
        inlayHintProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      },
      serverInfo: { name: 'gnet', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    apply((change.settings as { gnet?: unknown } | undefined)?.gnet);
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  const linesOf = (path: string) => {
    const text = ws.text(path);
    return text === undefined ? undefined : new LineMap(text);
  };

  /** Diagnostics of one open file from its analysis and the cached analyses of open files importing it. */
  const publish = (path: string, analysis: FileAnalysis) => {
    const importers = ws.openPaths().flatMap((p) => {
      const a = p === path ? undefined : ws.cached(p);
      return a?.deps.has(path) ? [a.diagnostics] : [];
    });
    const list = diagnosticsFor(path, analysis.diagnostics, importers);
    void connection.sendDiagnostics({ uri: pathToUri(path), version: ws.version(path), diagnostics: list.map((d) => toLspDiagnostic(d, analysis.lines, linesOf)) });
  };

  const refresh = (path: string) => {
    timers.delete(path);
    if (!ws.isOpen(path)) return;
    const analysis = ws.analysis(path);
    publish(path, analysis);
    // Errors this file's networks hit inside open imported files show there too.
    for (const dep of analysis.deps) if (dep !== path && ws.isOpen(dep) && ws.cached(dep)) publish(dep, ws.cached(dep)!);
  };

  const schedule = (paths: readonly string[]) => {
    for (const path of paths) {
      clearTimeout(timers.get(path));
      timers.set(path, setTimeout(() => refresh(path), settings.debounceMs));
    }
  };

  documents.onDidChangeContent(({ document }) => schedule(ws.update(uriToPath(document.uri), document.getText(), document.version)));
  documents.onDidClose(({ document }) => {
    const path = uriToPath(document.uri);
    clearTimeout(timers.get(path));
    timers.delete(path);
    schedule(ws.close(path));
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (!ws.isOpen(path)) schedule(ws.changedOnDisk(path));
    }
  });

  /** The analysis of a request's document, and the cursor as an offset. */
  const at = (uri: string, position?: { line: number; character: number }) => {
    const file = ws.analysis(uriToPath(uri));
    return { file, offset: position ? file.lines.offset(position) : 0 };
  };

  const imported = (target: Target): { def: Def; text: string } | undefined => {
    const r = resolveTarget(ws, target);
    const text = r ? ws.text(r.path) : undefined;
    return r && text !== undefined ? { def: r.def, text } : undefined;
  };

  const importedBlocks = (file: FileAnalysis) => () =>
    file.index.imports.flatMap(({ decl, target }) => {
      const index = target ? ws.indexOf(target) : undefined;
      const text = target ? ws.text(target) : undefined;
      if (!index || text === undefined) return [];
      const blocks = [...index.root.defs.values()].filter((d) => d.kind === 'block' && (!decl.names || decl.names.some((n) => n.name === d.name)));
      return blocks.map((def) => ({ def, text, from: decl.path }));
    });

  const userBlock = (file: FileAnalysis) => (name: string) => {
    const def = file.index.root.lookup(name);
    if (def?.kind === 'block') return { def, text: file.text };
    if (def?.kind === 'import') return imported({ kind: 'def', def });
    const found = importedBlocks(file)().find((b) => b.def.name === name);
    return found ? { def: found.def, text: found.text } : undefined;
  };

  connection.onHover(({ textDocument, position }) => {
    const { file, offset } = at(textDocument.uri, position);
    return hover(file, offset, (t) => {
      const r = resolveTarget(ws, t);
      const text = r ? ws.text(r.path) : undefined;
      return r && text !== undefined ? { def: r.def, file: ws.cached(r.path), text } : undefined;
    });
  });
  connection.onCompletion(({ textDocument, position }) => {
    const { file, offset } = at(textDocument.uri, position);
    return completion(file, offset, importedBlocks(file), () => ws.files());
  });
  connection.onSignatureHelp(({ textDocument, position }) => {
    const { file, offset } = at(textDocument.uri, position);
    return signatureHelp(file, offset, userBlock(file));
  });
  connection.onDefinition(({ textDocument, position }) => {
    const { file, offset } = at(textDocument.uri, position);
    return definition(ws, file.index, offset);
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const { file, offset } = at(textDocument.uri, position);
    return references(ws, file.index, offset, context.includeDeclaration);
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const { file, offset } = at(textDocument.uri, position);
    return prepareRename(ws, file.index, offset, file.lines);
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const { file, offset } = at(textDocument.uri, position);
    const edit = rename(ws, file.index, offset, newName);
    if (typeof edit === 'string') return new ResponseError(ErrorCodes.InvalidParams, edit);
    return edit;
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const { file } = at(textDocument.uri);
    return documentSymbols(file.index, file.lines);
  });
  connection.onWorkspaceSymbol(({ query }) => {
    const indexes = ws.files().flatMap((path) => {
      const index = ws.indexOf(path);
      const text = ws.text(path);
      return index && text !== undefined ? [{ index, text }] : [];
    });
    return workspaceSymbols(indexes, query);
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const { file } = at(textDocument.uri);
    return codeActions(file, textDocument.uri, context.diagnostics);
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const path = uriToPath(textDocument.uri);
    const text = ws.text(path);
    return text === undefined ? [] : formatting(path, new LineMap(text));
  });
  connection.onFoldingRanges(({ textDocument }) => foldingRanges(at(textDocument.uri).file));
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    if (!settings.inlayHints) return [];
    const { file } = at(textDocument.uri);
    return inlayHints(file, file.lines.offset(range.start), file.lines.offset(range.end));
  });
  connection.languages.semanticTokens.on(({ textDocument }) => semanticTokens(at(textDocument.uri).file));

  documents.listen(connection);
  connection.listen();
  return connection;
}
