/**
 * The VS Code extension outside VS Code: which gnet it runs (find-server.js, on real folders), that
 * what it finds in this checkout answers as a language server, and the extension packaged with
 * vsce: no warning or prompt, and only the files it runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ExitNotification, InitializeRequest, ShutdownRequest } from 'vscode-languageserver-protocol';

const root = fileURLToPath(new URL('../..', import.meta.url));
const extension = join(root, 'editors', 'vscode');
type Found = { command: string; args: string[]; env: Record<string, string>; describe: string } | { error: string };
const { findServer } = createRequire(import.meta.url)(join(extension, 'find-server.js')) as { findServer: (o: { folders: string[]; configured?: string; node: string; env?: Record<string, string> }) => Found };

const scratch = mkdtempSync(join(tmpdir(), 'gnet-vscode-'));
const folder = (name: string, files: Record<string, string>) => {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
};
const noPath = { PATH: join(scratch, 'empty') };

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test('a workspace that depends on gnet runs its node_modules/gnet, under the extension host\'s Node', () => {
  const dir = folder('project', { 'node_modules/gnet/bin/gnet.js': '', 'model.gnet': '' });
  const found = findServer({ folders: [dir], node: '/electron/node', env: noPath });
  assert.equal(found, { command: '/electron/node', args: [join(dir, 'node_modules/gnet/bin/gnet.js'), 'lsp'], env: { ELECTRON_RUN_AS_NODE: '1' }, describe: join(dir, 'node_modules/gnet/bin/gnet.js') });
});

test('a gnet checkout runs its own bin/gnet.js once built; before, it says to run npm ci', () => {
  const built = folder('checkout', { 'package.json': '{"name": "gnet"}', 'bin/gnet.js': '', 'dist/cli.js': '' });
  assert.equal((findServer({ folders: [built], node: 'node', env: noPath }) as { args: string[] }).args, [join(built, 'bin/gnet.js'), 'lsp']);
  const unbuilt = folder('unbuilt', { 'package.json': '{"name": "gnet"}', 'bin/gnet.js': '' });
  assert.match((findServer({ folders: [unbuilt], node: 'node', env: noPath }) as { error: string }).error, 'not built yet: run `npm ci`');
  const other = folder('other', { 'package.json': '{"name": "not-gnet"}', 'bin/gnet.js': '' });
  assert.ok('error' in findServer({ folders: [other], node: 'node', env: noPath }));
});

test('gnet on PATH when the workspace has none; nowhere, a message saying what to do', () => {
  const bin = folder('bin', { gnet: '#!/bin/sh\n' });
  const empty = folder('empty-project', { 'a.gnet': '' });
  assert.equal((findServer({ folders: [empty], node: 'node', env: { PATH: bin } }) as { command: string }).command, join(bin, 'gnet'));
  const none = findServer({ folders: [empty], node: 'node', env: noPath }) as { error: string };
  assert.match(none.error, /^gnet was not found: no node_modules\/gnet or gnet checkout in the workspace, and no `gnet` on PATH/);
  assert.match(none.error, '`npm install gnet`');
  assert.match(none.error, '`gnet.path`');
});

test('gnet.path overrides the search, and a wrong one says so', () => {
  const dir = folder('configured', { 'node_modules/gnet/bin/gnet.js': '', 'tools/gnet.js': '' });
  assert.equal((findServer({ folders: [dir], configured: 'tools/gnet.js', node: 'node', env: noPath }) as { args: string[] }).args, [join(dir, 'tools/gnet.js'), 'lsp']);
  assert.match((findServer({ folders: [dir], configured: './missing.js', node: 'node', env: noPath }) as { error: string }).error, 'gnet.path is `./missing.js`, and there is no such file');
  assert.match((findServer({ folders: [dir], configured: 'gnet-nightly', node: 'node', env: noPath }) as { error: string }).error, 'no such command is on PATH');
});

test('what it finds in this checkout starts and answers as a language server', async () => {
  const found = findServer({ folders: [root], node: process.execPath, env: noPath });
  assert.ok(!('error' in found), 'error' in found ? found.error : '');
  if ('error' in found) return;
  const child = spawn(found.command, found.args, { env: { ...process.env, ...found.env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  assert.is(init.serverInfo?.name, 'gnet');
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  await new Promise((resolve) => child.once('exit', resolve));
  connection.dispose();
});

test('vsce packages the extension with no warning or prompt, and only the files it runs', () => {
  const vsce = join(root, 'node_modules', '.bin', 'vsce');
  assert.ok(existsSync(vsce), 'vsce is missing: `npm ci` installs it (@vscode/vsce is a devDependency)');
  const stage = join(scratch, 'package');
  cpSync(extension, stage, { recursive: true, filter: (src) => !src.includes('node_modules') });
  // Tests run offline: the runtime dependency (vscode-languageclient) is not installed here, so it is left out of this package.
  const out = spawnSync(vsce, ['package', '--no-dependencies', '--out', join(scratch, 'gnet.vsix')], { cwd: stage, encoding: 'utf8', input: '' });
  assert.is(out.status, 0, out.stderr + out.stdout);
  assert.not.match(out.stdout + out.stderr, /WARNING|\[y\/N\]/);
  const files = Object.keys(unzipSync(readFileSync(join(scratch, 'gnet.vsix')))).filter((f) => !f.endsWith('/')).sort();
  assert.equal(files, [
    '[Content_Types].xml', 'extension.vsixmanifest', 'extension/LICENSE.txt', 'extension/extension.js', 'extension/find-server.js',
    'extension/language-configuration.json', 'extension/package.json', 'extension/readme.md', 'extension/syntaxes/gnet.tmLanguage.json',
  ]);
  const manifest = JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(join(scratch, 'gnet.vsix')))['extension/package.json']!));
  assert.ok(manifest.repository && manifest.license === 'MIT');
});

test.run();
