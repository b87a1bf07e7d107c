/**
 * An analysis thread: a Workspace kept in step with the editor's documents by the server, which
 * sends it one job at a time (analyse a file, answer a request). A long analysis here never holds
 * up the server's message loop; the server cancels one that an edit made stale by ending the thread.
 */
import { parentPort } from 'node:worker_threads';
import { ErrorCodes } from 'vscode-languageserver';
import { answer, summarize, type FeatureOptions } from './handlers.js';
import { Workspace } from './workspace.js';

export type ToWorker =
  | { readonly kind: 'config'; readonly folders: readonly string[]; readonly options: FeatureOptions }
  /** Documents opened or changed, closed, and files changed on disk, since the last sync. */
  | { readonly kind: 'sync'; readonly docs: readonly { key: string; text: string; version: number }[]; readonly closed: readonly string[]; readonly disk: readonly string[] }
  | { readonly kind: 'analyze'; readonly id: number; readonly key: string }
  | { readonly kind: 'request'; readonly id: number; readonly method: string; readonly params: Record<string, unknown> };

export type FromWorker =
  | { readonly id: number; readonly summary: ReturnType<typeof summarize> }
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly code: number; readonly message: string } };

const port = parentPort!;
const ws = new Workspace();
let options: FeatureOptions = { snippets: false, documentChanges: false };

port.on('message', (m: ToWorker) => {
  switch (m.kind) {
    case 'config':
      ws.setFolders([...m.folders]);
      options = m.options;
      return;
    case 'sync':
      for (const key of m.closed) ws.close(key);
      for (const key of m.disk) ws.changedOnDisk(key);
      for (const d of m.docs) ws.update(d.key, d.text, d.version);
      return;
    case 'analyze':
      reply(m.id, () => ({ summary: summarize(ws, m.key) }));
      return;
    case 'request':
      reply(m.id, () => answer(ws, options, m.method, m.params));
      return;
  }
});

/** Features report rather than throw; a throw is a bug, answered as an internal error instead of ending the thread. */
function reply(id: number, work: () => { summary: ReturnType<typeof summarize> } | { result: unknown } | { error: { code: number; message: string } }): void {
  let message: FromWorker;
  try {
    message = { id, ...work() } as FromWorker;
  } catch (e) {
    message = { id, error: { code: ErrorCodes.InternalError, message: `gnet language server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` } };
  }
  port.postMessage(message);
}
