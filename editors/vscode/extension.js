// Starts `gnet lsp` for .gnet files. The command comes from the `gnet.path` setting (default: `gnet` on PATH).
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('gnet');
  const command = config.get('path', 'gnet');
  // A path to bin/gnet.js runs under the Node that runs VS Code's extension host.
  const run = command.endsWith('.js')
    ? { command: process.execPath, args: [command, 'lsp'], transport: TransportKind.stdio, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } }
    : { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('gnet', 'gnet language server', { run, debug: run }, {
    documentSelector: [{ scheme: 'file', language: 'gnet' }],
    initializationOptions: { inlayHints: config.get('inlayHints', true), debounceMs: config.get('debounceMs', 150) },
    synchronize: { configurationSection: 'gnet', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.gnet') },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
