/**
 * A real LSP client over stdio for the tests and the benchmark: spawns `gnet lsp` (the TypeScript
 * sources under tsx, or the built bin/gnet.js) and talks JSON-RPC with the protocol's own types.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest,
  PublishDiagnosticsNotification, ShutdownRequest, type ClientCapabilities, type Diagnostic, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Client {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  open(path: string, text: string): void;
  /** Replaces the whole text (version bumped). */
  change(path: string, text: string): void;
  /** Applies one ranged edit, as an editor sends a keystroke. */
  edit(path: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void;
  /** The next diagnostics published for this file (a path, or a URI such as `untitled:…`) at or after this version that satisfy `accept`. */
  diagnostics(path: string, accept?: (ds: Diagnostic[]) => boolean, version?: number): Promise<Diagnostic[]>;
  version(path: string): number;
  stop(): Promise<void>;
}

/** A path's file URI; a URI (`untitled:Untitled-1`) stays as it is. */
export const uri = (path: string): string => (/^[a-z][a-z0-9+.-]+:/i.test(path) ? path : pathToFileURL(path).href);

export async function startClient(options: { folder: string; built?: boolean; initializationOptions?: Record<string, unknown>; capabilities?: ClientCapabilities }): Promise<Client> {
  const args = options.built ? [`${root}bin/gnet.js`, 'lsp', '--stdio'] : ['--import', 'tsx', `${root}cli/main.ts`, 'lsp', '--stdio'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const versions = new Map<string, number>();
  const waiters: { path: string; accept: (ds: Diagnostic[]) => boolean; version: number; resolve: (ds: Diagnostic[]) => void }[] = [];
  const latest = new Map<string, PublishDiagnosticsParams>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    latest.set(p.uri, p);
    for (const w of [...waiters]) {
      if (uri(w.path) === p.uri && (p.version ?? Infinity) >= w.version && w.accept(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri(options.folder),
    workspaceFolders: [{ uri: uri(options.folder), name: 'specs' }],
    capabilities: options.capabilities ?? {},
    initializationOptions: { debounceMs: 20, ...options.initializationOptions },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const client: Client = {
    connection,
    process: child,
    open(path, text) {
      versions.set(path, 1);
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(path), languageId: 'gnet', version: 1, text } });
    },
    change(path, text) {
      const v = (versions.get(path) ?? 0) + 1;
      versions.set(path, v);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(path), version: v }, contentChanges: [{ text }] });
    },
    edit(path, range, text) {
      const v = (versions.get(path) ?? 0) + 1;
      versions.set(path, v);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(path), version: v }, contentChanges: [{ range, text }] });
    },
    diagnostics(path, accept = () => true, version = versions.get(path) ?? 0) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${path} v${version}`)), 60_000);
        waiters.push({ path, accept, version, resolve: (ds) => (clearTimeout(timer), resolve(ds)) });
        const last = latest.get(uri(path));
        if (last && (last.version ?? Infinity) >= version && accept(last.diagnostics)) {
          waiters.pop();
          clearTimeout(timer);
          resolve(last.diagnostics);
        }
      });
    },
    version: (path) => versions.get(path) ?? 0,
    async stop() {
      // A test may have sent `shutdown` already: a second one is an error, and harmless.
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type);
      await new Promise((resolve) => child.once('exit', resolve));
      connection.dispose();
    },
  };
  return client;
}
