/**
 * `gnet playground`: serves the built playground (editor, live report) from 127.0.0.1 only. The page
 * is static with relative asset paths, so any static host serves it as well; this server exists so
 * that nothing else needs installing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GnCode } from '../../compiler/diagnostics/codes.js';

export interface PlaygroundOptions {
  readonly port: number;
  readonly open?: boolean;
  /** A built playground folder (default: the one `npm run build` puts in dist/playground). */
  readonly dir?: string;
}

export const PLAYGROUND_ERRORS = {
  notBuilt: 'GN0950',
  portInUse: 'GN0951',
} as const satisfies Record<string, GnCode>;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.gnet': 'text/plain; charset=utf-8',
};

/** The package root: the nearest folder above this module with a package.json (works from cli/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function defaultPlaygroundDir(): string {
  return join(packageRoot(), 'dist', 'playground');
}

/** Answers GET and HEAD for files under `root`; anything else, or a path leaving it, is a 404 / 405. */
export function staticServer(root: string): Server {
  const base = resolve(root);
  return createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    let file = resolve(base, '.' + pathname);
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(404).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
}

function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`gnet: could not start a browser (${command}); open ${url} yourself\n`));
  child.unref();
}

/** Serves until interrupted; returns 1 (with a coded message) when it cannot start. */
export async function playground(options: PlaygroundOptions): Promise<number> {
  const dir = resolve(options.dir ?? defaultPlaygroundDir());
  if (!existsSync(join(dir, 'index.html'))) {
    process.stderr.write(
      `gnet: error[${PLAYGROUND_ERRORS.notBuilt}]: no built playground in ${dir}\n` +
        `  = help: run \`npm run build\` (or \`node scripts/build-web.mjs --playground --out ${dir}\`) first\n`,
    );
    return 1;
  }
  const server = staticServer(dir);
  const started = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    server.once('error', (error: NodeJS.ErrnoException) => done(error));
    server.listen(options.port, '127.0.0.1', () => done(undefined));
  });
  if (started) {
    const help = started.code === 'EADDRINUSE' ? `port ${options.port} is taken; pick another with --port, or --port 0 for any free one` : started.message;
    process.stderr.write(`gnet: error[${PLAYGROUND_ERRORS.portInUse}]: cannot listen on 127.0.0.1:${options.port}\n  = help: ${help}\n`);
    return 1;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  process.stdout.write(`gnet playground: ${url} (serving ${dir}; Ctrl+C to stop)\n`);
  if (options.open) openInBrowser(url);
  await new Promise<void>((stopped) => {
    const stop = () => server.close(() => stopped());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
