/**
 * The page in headless Chromium: built with scripts/build-web.mjs into a temporary folder, served
 * from localhost by a throwaway node:http server, opened by playwright-core in Debian's chromium
 * (never a downloaded browser) with a fresh profile and WebGPU enabled.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../../../scripts/build-web.mjs';

export const CHROMIUM = process.env.GNET_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser tests cannot run here, or undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed; as root, run .ci/install-webgpu.sh (apt-get install chromium)`;
}

/** The page with the networks of `spec`, in a new temporary folder. */
export async function buildPage(spec?: string): Promise<{ readonly dir: string; readonly networks: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-web-'));
  return { dir, networks: await buildWeb({ spec, out: dir }) };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Serves the files of `dir` on 127.0.0.1 at a free port. */
export async function serve(dir: string): Promise<{ readonly origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/\/$/, '/index.html');
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((closed) => server.close(() => closed())) };
}

export interface Browser {
  readonly page: Page;
  /** Console messages since the last open(), as "type: text". */
  readonly console: string[];
  /** Loads `url` and waits until the page reports done or failed. */
  open(url: string, timeout?: number): Promise<void>;
  close(): Promise<void>;
}

/** Chromium with a fresh profile (removed on close) and one tab. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'gnet-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = context.pages()[0] ?? (await context.newPage());
  const messages: string[] = [];
  page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  return {
    page,
    console: messages,
    async open(url, timeout = 90_000) {
      messages.length = 0;
      await page.goto(url);
      await page.waitForSelector('#status[data-state="done"], #status[data-state="failed"]', { timeout });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Lets a request to the browser go out before Node's event loop is busy with cpu work. */
export const letBrowserStart = () => new Promise((started) => setTimeout(started, 200));
