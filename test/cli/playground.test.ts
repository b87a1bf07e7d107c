/**
 * `gnet playground`: a static server on 127.0.0.1 for a built playground folder, with the content
 * types a browser insists on (module scripts, stylesheets, wasm), nothing outside the folder, and a
 * coded message when the folder is not built or the port is taken.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function gnet(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...GNET_NODE_ARGS, ...args], { cwd: ROOT });
}

/** Runs to the end; stdout, stderr and the exit code. */
function finish(child: ChildProcessWithoutNullStreams): Promise<{ out: string; err: string; code: number | null }> {
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((done) => child.on('close', (code) => done({ out, err, code })));
}

/** The URL the server prints once it listens. */
function listening(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((found, failed) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /(http:\/\/\S+\/)/.exec(out)?.[1];
      if (url) found(url);
    });
    child.on('close', (code) => failed(new Error(`gnet playground exited with ${code} before listening`)));
  });
}

/** A raw GET, so that paths like /..%2f reach the server as written. */
function get(url: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((done, failed) => {
    const req = request(new URL(url), { path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', failed);
    req.end();
  });
}

const site = mkdtempSync(join(tmpdir(), 'gnet-playground-site-'));
mkdirSync(join(site, 'sub'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>p</title>');
writeFileSync(join(site, 'main.js'), 'export {};');
writeFileSync(join(site, 'playground.css'), 'body {}');
writeFileSync(join(site, 'tfjs-backend-wasm.wasm'), Buffer.from([0, 97, 115, 109]));
writeFileSync(join(site, 'sub', 'index.html'), 'sub');

test.after(() => rmSync(site, { recursive: true, force: true }));

test('serves the folder on 127.0.0.1 with browser content types, nothing outside it, and stops on Ctrl+C', async () => {
  const child = gnet(['playground', '--port', '0', '--dir', site]);
  const ended = finish(child);
  const url = await listening(child);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const index = await get(url, '/');
  assert.is(index.status, 200);
  assert.match(index.type ?? '', /^text\/html/);
  assert.match((await get(url, '/main.js')).type ?? '', /^text\/javascript/);
  assert.match((await get(url, '/playground.css')).type ?? '', /^text\/css/);
  assert.is((await get(url, '/tfjs-backend-wasm.wasm')).type, 'application/wasm');
  assert.is((await get(url, '/sub/')).body, 'sub');
  assert.is((await get(url, '/index.html?x=1#y')).status, 200);
  assert.is((await get(url, '/missing.js')).status, 404);
  assert.is((await get(url, '/..%2fpackage.json')).status, 404);
  assert.is((await get(url, '/../../etc/passwd')).status, 404);
  child.kill('SIGINT');
  assert.is((await ended).code, 0);
});

test('a folder without a built playground gives GN0950 and how to build it', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gnet-playground-empty-'));
  try {
    const { err, code } = await finish(gnet(['playground', '--port', '0', '--dir', empty]));
    assert.is(code, 1);
    assert.match(err, /^gnet: error\[GN0950\]: no built playground in /);
    assert.match(err, /help: run `npm run build`/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a taken port gives GN0951 and suggests another; a port out of range is a usage error', async () => {
  const blocker = createServer();
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  const { port } = blocker.address() as AddressInfo;
  try {
    const { err, code } = await finish(gnet(['playground', '--port', String(port), '--dir', site]));
    assert.is(code, 1);
    assert.match(err, new RegExp(`^gnet: error\\[GN0951\\]: cannot listen on 127\\.0\\.0\\.1:${port}`));
    assert.match(err, /--port 0 for any free one/);
  } finally {
    await new Promise((done) => blocker.close(done));
  }
  const usage = await finish(gnet(['playground', '--port', '70000', '--dir', site]));
  assert.is(usage.code, 2);
  assert.match(usage.err, /expected a port from 0 to 65535/);
});

test.run();
