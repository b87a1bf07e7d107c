// Starts `gnet lsp` for .gnet files: the gnet that find-server.js finds (the `gnet.path` setting,
// the workspace's own gnet, or `gnet` on PATH), or says clearly why there is none.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { findServer } = require('./find-server.js');

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration('gnet');
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const found = findServer({ folders, configured: config.get('path') || undefined, node: process.execPath });
  if ('error' in found) {
    const choice = await vscode.window.showErrorMessage(`gnet language server: ${found.error}`, 'Open settings');
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'gnet.path');
    return undefined;
  }
  const run = { command: found.command, args: found.args, transport: TransportKind.stdio, options: { env: { ...process.env, ...found.env } } };
  client = new LanguageClient('gnet', 'gnet language server', { run, debug: run }, {
    documentSelector: [{ scheme: 'file', language: 'gnet' }, { scheme: 'untitled', language: 'gnet' }],
    initializationOptions: { inlayHints: config.get('inlayHints', true), debounceMs: config.get('debounceMs', 150), maxFileSize: config.get('maxFileSize', 2000000) },
    synchronize: { configurationSection: 'gnet', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.gnet') },
  });
  context.subscriptions.push(client);
  await client.start();
  return client;
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
