/**
 * The playground built into a temporary folder, served by `gnet playground`'s own server, and one
 * headless Chromium: the set-up both playground test files share. `site()` and `browser()` are valid
 * between uvu's before and after hooks, which `usePlaygroundSite()` registers.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import { staticServer } from '../../../cli/commands/playground.js';
import { buildPlayground } from '../../../scripts/build-web.mjs';
import { distIsFresh } from '../../../scripts/dist-fresh.mjs';
import { chromiumMissing, launchBrowser, type Browser } from './browser.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export interface PlaygroundSite {
  readonly dir: string;
  readonly origin: string;
  close(): Promise<void>;
}

export function usePlaygroundSite(): { browserTest: typeof test | typeof test.skip; site: () => PlaygroundSite; browser: () => Browser } {
  const missing = chromiumMissing();
  if (missing !== undefined) console.log(`skipping the browser tests: ${missing}`);
  let site: PlaygroundSite | undefined;
  let browser: Browser | undefined;
  const shared = process.env.GNET_TEST_PLAYGROUND_DIR ?? (distIsFresh(ROOT) ? join(ROOT, 'dist', 'playground') : undefined);

  test.before(async () => {
    if (missing !== undefined) return;
    // The playground of dist/ while it is built from the sources as they are (npm test sees to it), else a build of its own.
    const dir = shared ?? mkdtempSync(join(tmpdir(), 'gnet-playground-'));
    if (!shared) await buildPlayground({ out: dir });
    const server = staticServer(dir);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    site = { dir, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((closed) => server.close(() => closed())) };
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  test.after(async () => {
    await browser?.close();
    await site?.close();
    if (site && !shared) rmSync(site.dir, { recursive: true, force: true });
  });

  return { browserTest: missing === undefined ? test : test.skip, site: () => site!, browser: () => browser! };
}
