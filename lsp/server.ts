/**
 * `gnet lsp`: the language server over stdio. This thread only talks to the editor: it keeps the
 * documents, debounces edits, routes every request to the analysis threads (pool.ts) and publishes
 * diagnostics, so a long analysis of one file never holds up an answer about another. A file larger
 * than `maxFileSize` gets one diagnostic saying so and no analysis; a file with many diagnostics
 * shows the first ones and a summary entry.
 */
import { readFileSync } from 'node:fs';
import {
  createConnection, DiagnosticSeverity, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind,
  type CancellationToken, type Connection, type Diagnostic as LspDiagnostic, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { coded, LSP_CODES } from './codes.js';
import { diagnosticsFor, toLspDiagnostic } from './features/diagnostics.js';
import { semanticTokensLegend } from './features/semantic-tokens.js';
import type { AnalysisSummary, FeatureOptions } from './handlers.js';
import { AnalysisPool } from './pool.js';
import { LineMap } from './positions.js';
import { isFilePath, pathToUri, uriToPath } from './uri.js';

export interface ServerSettings {
  /** Show output shapes after each pipeline stage. */
  inlayHints: boolean;
  /** Quiet time after the last keystroke before diagnostics are recomputed. */
  debounceMs: number;
  /** Files larger than this (bytes) are not analysed: one diagnostic says so. */
  maxFileSize: number;
}

const DEFAULTS: ServerSettings = { inlayHints: true, debounceMs: 150, maxFileSize: 2_000_000 };

/** Diagnostics shown per file; a summary entry counts the rest. */
export const MAX_SHOWN_PER_FILE = 100;

/** What each request answers for a file too large to analyse. */
const NOTHING: Record<string, unknown> = {
  'textDocument/hover': null, 'textDocument/completion': [], 'textDocument/signatureHelp': null, 'textDocument/definition': null,
  'textDocument/references': [], 'textDocument/prepareRename': null, 'textDocument/documentSymbol': [], 'textDocument/codeAction': [],
  'textDocument/formatting': [], 'textDocument/foldingRange': [], 'textDocument/inlayHint': [], 'textDocument/semanticTokens/full': { data: [] },
};

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const settings: ServerSettings = { ...DEFAULTS };
  const timers = new Map<string, NodeJS.Timeout>();
  /** The last analysis of each open file. */
  const results = new Map<string, AnalysisSummary & { readonly reads: ReadonlySet<string> }>();
  let folders: string[] = [];
  let options: FeatureOptions = { snippets: false, documentChanges: false };
  let pool: AnalysisPool | undefined;
  let shutDown = false;

  const apply = (o: Partial<ServerSettings> | undefined) => {
    if (typeof o?.inlayHints === 'boolean') settings.inlayHints = o.inlayHints;
    if (typeof o?.debounceMs === 'number' && o.debounceMs >= 0) settings.debounceMs = o.debounceMs;
    if (typeof o?.maxFileSize === 'number' && o.maxFileSize > 0) settings.maxFileSize = o.maxFileSize;
  };

  const open = () => {
    const docs = new Map<string, { text: string; version: number }>();
    for (const d of documents.all()) docs.set(uriToPath(d.uri), { text: d.getText(), version: d.version });
    return docs;
  };
  const doc = (key: string) => documents.get(pathToUri(key));
  const dependents = (key: string) => [...results].flatMap(([other, r]) => (other !== key && r.reads.has(key) ? [other] : []));
  const tooLarge = (key: string): number | undefined => {
    const text = doc(key)?.getText();
    // A UTF-16 code unit is at most 3 bytes of UTF-8: most files need no count.
    if (text === undefined || text.length * 3 <= settings.maxFileSize) return undefined;
    const bytes = Buffer.byteLength(text);
    return bytes > settings.maxFileSize ? bytes : undefined;
  };

  connection.onInitialize((params): InitializeResult => {
    apply(params.initializationOptions);
    folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
    options = {
      snippets: params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
      documentChanges: params.capabilities.workspace?.workspaceEdit?.documentChanges === true,
    };
    pool = new AnalysisPool({ docs: open, dependents, folders: () => folders, options: () => options });
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
    apply((change.settings as { gnet?: Partial<ServerSettings> } | undefined)?.gnet);
    schedule(documents.all().map((d) => uriToPath(d.uri)));
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  const lineMaps = new Map<string, LineMap>();
  const linesOf = (path: string): LineMap | undefined => {
    const text = doc(path)?.getText() ?? (isFilePath(path) ? readText(path) : undefined);
    if (text === undefined) return undefined;
    const cached = lineMaps.get(path);
    if (cached?.text === text) return cached;
    const lines = new LineMap(text);
    lineMaps.set(path, lines);
    return lines;
  };

  /** One open file's diagnostics: its own analysis, and what the analyses of open importers found inside it. */
  const publish = (key: string) => {
    const own = results.get(key);
    const document = doc(key);
    if (!own || !document) return;
    const lines = linesOf(key)!;
    const importers = [...results].flatMap(([other, r]) => (other !== key && r.reads.has(key) ? [r] : []));
    const list = diagnosticsFor(key, own.diagnostics, importers.map((r) => r.diagnostics));
    const omitted = Math.max(0, ...[own, ...importers].flatMap((r) => r.omitted.filter(([f]) => f === key).map(([, n]) => n)));
    const shown: LspDiagnostic[] = list.slice(0, MAX_SHOWN_PER_FILE).map((d) => toLspDiagnostic(d, lines, linesOf));
    const more = list.length - Math.min(list.length, MAX_SHOWN_PER_FILE) + omitted;
    if (more > 0) {
      const first = list[MAX_SHOWN_PER_FILE];
      shown.push({
        range: first ? lines.range(first.primary.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        code: LSP_CODES.moreDiagnostics,
        source: 'gnet',
        message: `${more.toLocaleString('en')} more diagnostic${more === 1 ? '' : 's'} in this file not shown (the first ${MAX_SHOWN_PER_FILE} are); \`gnet check\` lists them all`,
      });
    }
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: shown });
  };

  const publishTooLarge = (key: string, bytes: number) => {
    const document = doc(key)!;
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    results.set(key, { key, version: document.version, deps: [key], diagnostics: [], omitted: [], reads: new Set([key]) });
    void connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Warning,
        code: LSP_CODES.tooLarge,
        source: 'gnet',
        message: `this file is ${mb(bytes)}; the editor analyses files up to ${mb(settings.maxFileSize)} (setting gnet.maxFileSize), so it shows no diagnostics, hovers or completion here\nhelp: run \`gnet check\` on it in a terminal`,
      }],
    });
  };

  const analyze = async (key: string) => {
    timers.delete(key);
    const document = doc(key);
    if (!document || !pool) return;
    const bytes = tooLarge(key);
    if (bytes !== undefined) return publishTooLarge(key, bytes);
    const summary = await pool.analyze(key);
    const now = doc(key);
    if (!summary || !now || summary.version !== now.version || shutDown) return;
    results.set(key, { ...summary, reads: new Set(summary.deps) });
    publish(key);
    // Errors this file's networks hit inside open imported files show there too.
    for (const dep of summary.deps) if (dep !== key && results.has(dep)) publish(dep);
  };

  function schedule(keys: readonly string[]) {
    for (const key of keys) {
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => void analyze(key), settings.debounceMs));
    }
  }

  documents.onDidChangeContent(({ document }) => {
    if (shutDown) return;
    const key = uriToPath(document.uri);
    pool?.edited(key);
    schedule([key, ...dependents(key)]);
  });
  documents.onDidClose(({ document }) => {
    const key = uriToPath(document.uri);
    clearTimeout(timers.get(key));
    timers.delete(key);
    const readers = dependents(key);
    results.delete(key);
    if (!shutDown) schedule(readers);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const keys = changes.map((c) => uriToPath(c.uri)).filter((key) => !doc(key));
    pool?.changedOnDisk(keys);
    schedule([...new Set(keys.flatMap(dependents))]);
  });

  /** Every request goes to an analysis thread; a request after `shutdown` is an error, as the protocol says. */
  const route = (method: string) => async (params: { textDocument?: { uri: string } }, token: CancellationToken) => {
    if (shutDown || !pool) return new ResponseError(ErrorCodes.InvalidRequest, shutDown ? 'the server is shutting down' : 'the server is not initialized');
    if (method === 'textDocument/inlayHint' && !settings.inlayHints) return [];
    const key = params.textDocument ? uriToPath(params.textDocument.uri) : undefined;
    if (key !== undefined && tooLarge(key) !== undefined) {
      if (method === 'textDocument/rename') return new ResponseError(ErrorCodes.InvalidParams, coded(LSP_CODES.tooLarge, 'this file is too large for the editor to rename in'));
      return NOTHING[method] ?? null;
    }
    const answer = await pool.request(key, method, params, token);
    return 'error' in answer ? new ResponseError(answer.error.code, answer.error.message) : answer.result;
  };
  for (const method of [...Object.keys(NOTHING), 'textDocument/rename', 'workspace/symbol']) connection.onRequest(method, route(method));

  connection.onShutdown(() => {
    shutDown = true;
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    pool?.dispose();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
