/**
 * Makes docs/playground.png: the playground at 1280×800 in headless Chromium, GaussUNet (64×64)
 * trained three short epochs on the automatic backend, the Train tab with its charts, and the hover
 * of a block call in the editor.
 * Run: npx tsx scripts/playground-screenshot.ts OUT.png — the committed file is that PNG reduced to
 * 128 colours (Debian's python3 with PIL: Image.quantize(128, method=Image.Quantize.FASTOCTREE),
 * which keeps the charts' colours apart) to stay small.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { staticServer } from '../cli/commands/playground.js';
import { buildPlayground } from './build-web.mjs';
import { launchBrowser } from '../test/browser/support/browser.js';
import { hoverWord } from '../test/browser/support/playground-page.js';

const dir = mkdtempSync(join(tmpdir(), 'gnet-shot-'));
await buildPlayground({ out: dir });
const server = staticServer(dir);
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const page = browser.page;
await page.setViewportSize({ width: 1280, height: 800 });
const text = readFileSync('specs/gauss-unet.gnet', 'utf8').replace(/128 x 128 x 3/g, '64 x 64 x 3');
await page.goto(`${origin}/#file=gauss-unet.gnet&code=${deflateRawSync(Buffer.from(text)).toString('base64url')}`);
await page.waitForSelector('#status[data-state="ok"]');
await page.click('#tab-train');
await page.selectOption('#train-backend-choice', 'auto');
await page.selectOption('#data-source', 'cells');
await page.fill('#train-epochs', '3');
await page.fill('#train-batch', '4');
await page.fill('#train-samples', '24');
await page.click('#train-start');
await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout: 900_000 });
console.log(await page.textContent('#train-status'));
// The pointer on the `up(` call of d1: the hover shows its shape and parameters.
await hoverWord(page, 'd1 = d2 -> up(e1, base)', 'up(');
await page.screenshot({ path: process.argv[2] ?? 'playground.png' });
await browser.close();
server.close();
