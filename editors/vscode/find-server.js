// Which gnet runs the language server: the `gnet.path` setting if given; else the workspace's own
// gnet (a dependency in node_modules, or the checkout itself); else `gnet` on PATH. Plain Node (no
// `vscode` module), so the tests run it as is.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { delimiter, isAbsolute, join, resolve } = require('node:path');

const HOW_TO = 'install it in the workspace (`npm install gnet`), build a gnet checkout (`npm ci`), or set `gnet.path` to the gnet command or to a checkout\'s bin/gnet.js';

/** A gnet entry script (bin/gnet.js) runs under the Node of the extension host; anything else is a command. */
function server(command, node) {
  if (command.endsWith('.js')) return { command: node, args: [command, 'lsp'], env: { ELECTRON_RUN_AS_NODE: '1' }, describe: command };
  return { command, args: ['lsp'], env: {}, describe: command };
}

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The folder is a gnet checkout: its package is gnet and it has its entry script. */
function checkoutEntry(folder) {
  const pkg = join(folder, 'package.json');
  if (!isFile(pkg) || !isFile(join(folder, 'bin', 'gnet.js'))) return undefined;
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).name === 'gnet' ? join(folder, 'bin', 'gnet.js') : undefined;
  } catch {
    return undefined;
  }
}

function onPath(command, env) {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) if (isFile(join(dir, command + ext))) return join(dir, command + ext);
  }
  return undefined;
}

/**
 * @param {{ folders: string[], configured?: string, node: string, env?: NodeJS.ProcessEnv }} options
 * @returns {{ command: string, args: string[], env: Record<string, string>, describe: string } | { error: string }}
 */
function findServer({ folders, configured, node, env = process.env }) {
  if (configured) {
    const path = isAbsolute(configured) || /[\\/]/.test(configured) ? resolve(folders[0] ?? '.', configured) : undefined;
    if (path ? isFile(path) : onPath(configured, env)) return notBuilt(path) ?? server(path ?? configured, node);
    return { error: `gnet.path is \`${configured}\`, and ${path ? 'there is no such file' : 'no such command is on PATH'}: ${HOW_TO}.` };
  }
  for (const folder of folders) {
    const dependency = join(folder, 'node_modules', 'gnet', 'bin', 'gnet.js');
    if (isFile(dependency)) return server(dependency, node);
    const checkout = checkoutEntry(folder);
    if (checkout) return notBuilt(checkout) ?? server(checkout, node);
  }
  const global = onPath('gnet', env);
  if (global) return server(global, node);
  return { error: `gnet was not found: no node_modules/gnet or gnet checkout in the workspace, and no \`gnet\` on PATH. To use its language server, ${HOW_TO}.` };
}

/** bin/gnet.js of a checkout runs dist/, which `npm ci` (or `npm run build`) makes. */
function notBuilt(entry) {
  if (!entry || !entry.endsWith(join('bin', 'gnet.js'))) return undefined;
  const dist = join(entry, '..', '..', 'dist', 'cli.js');
  return existsSync(dist) ? undefined : { error: `${entry} is a gnet checkout that is not built yet: run \`npm ci\` (or \`npm run build\`) in it.` };
}

module.exports = { findServer };
