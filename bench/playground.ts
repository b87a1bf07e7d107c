/**
 * The playground in headless Chromium (Debian's, software WebGPU):
 * (a) keystroke → updated report for specs/resnet50.gnet: from the keydown to the first frame after
 *     the report's table changed, median of EDITS one-character edits that change the report;
 * (b) training throughput in the page (GaussUNet at 32×32 on synthetic cells, images/s over the
 *     second epoch, shaders compiled) against `gnet train` in Node with the same spec, batch and
 *     image count, on WebGPU and on wasm.
 * Run alone: npx tsx bench/playground.ts [--edits N] [--no-train]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { staticServer } from '../cli/commands/playground.js';
import { buildPlayground } from '../scripts/build-web.mjs';
import { chromiumMissing, launchBrowser } from '../test/browser/support/browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EDITS = 21;
/** The page's training: GaussUNet shrunk to 32×32, two epochs (the first compiles the shaders). */
const TRAIN = { batch: 4, images: 16, epochs: 2, size: 32 };

export interface KeystrokeFigures {
  readonly edits: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** The compiler worker's own time for the same edits (its status line), median. */
  readonly workerMs: number;
}

export interface ThroughputRow {
  readonly where: 'page' | 'node';
  readonly backend: string;
  readonly device: string;
  readonly imagesPerSecond: number | null;
  readonly note?: string;
}

export interface PlaygroundFigures {
  readonly keystroke: KeystrokeFigures;
  readonly throughput: readonly ThroughputRow[];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const link = (file: string, text: string) => `#file=${file}&code=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

/** Alternately deletes and retypes the last 0 of `classes = 1000`: every edit changes the dense layer's row. */
async function keystrokes(page: Page, origin: string, edits: number): Promise<KeystrokeFigures> {
  await page.goto(`${origin}/`);
  await page.click('#examples button[data-path="/specs/resnet50.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
  await page.evaluate(() => {
    const probe = { t0: 0, last: undefined as number | undefined };
    Object.assign(window, { gnetProbe: probe });
    document.addEventListener('keydown', () => (probe.t0 = performance.now()), true);
    new MutationObserver(() => {
      const t0 = probe.t0;
      requestAnimationFrame(() => (probe.last ??= performance.now() - t0));
    }).observe(document.getElementById('report')!, { childList: true, subtree: true, characterData: true });
  });
  // The caret after "1000" of `network ResNet50(classes = 1000, base = 64)`.
  const at = await page.evaluate(() => {
    const row = Array.from(document.querySelectorAll('.cm-line')).find((l) => l.textContent?.includes('ResNet50(classes = 1000,'))!;
    row.scrollIntoView({ block: 'center' });
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = node.textContent!.indexOf('1000');
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(node, i + 3);
      range.setEnd(node, i + 4);
      const r = range.getBoundingClientRect();
      return { x: r.right, y: r.top + r.height / 2 };
    }
    throw new Error('no 1000 in the ResNet50 line');
  });
  await page.mouse.click(at.x, at.y);
  const times: number[] = [];
  const worker: number[] = [];
  for (let i = 0; i < edits + 1; i++) {
    await page.evaluate(() => ((window as unknown as { gnetProbe: { last?: number } }).gnetProbe.last = undefined));
    await page.keyboard.press(i % 2 === 0 ? 'Backspace' : '0');
    await page.waitForFunction(() => (window as unknown as { gnetProbe: { last?: number } }).gnetProbe.last !== undefined && document.querySelector('#status')?.getAttribute('data-state') === 'ok');
    const ms = await page.evaluate(() => (window as unknown as { gnetProbe: { last: number } }).gnetProbe.last);
    const status = (await page.textContent('#status')) ?? '';
    // The first edit warms the worker's code paths up.
    if (i > 0) {
      times.push(ms);
      worker.push(Number(/· (\d+) ms$/.exec(status)?.[1] ?? NaN));
    }
    await page.waitForTimeout(100);
  }
  return { edits, medianMs: median(times), p90Ms: quantile(times, 0.9), workerMs: median(worker) };
}

const SMALL_GAUSS_UNET = () => readFileSync(join(ROOT, 'specs/gauss-unet.gnet'), 'utf8').replace(/128 x 128 x 3/g, `${TRAIN.size} x ${TRAIN.size} x 3`);

/** Images/s of the page's second epoch: its steps' images over the time from the first epoch's last step. */
async function pageThroughput(page: Page, origin: string, backend: 'webgpu' | 'wasm'): Promise<ThroughputRow> {
  await page.goto(`${origin}/?backend=${backend}${link('gauss-unet.gnet', SMALL_GAUSS_UNET())}`);
  await page.waitForSelector('#status[data-state="ok"]');
  await page.selectOption('#network', 'GaussUNet');
  await page.click('#tab-train');
  await page.fill('#train-epochs', String(TRAIN.epochs));
  await page.fill('#train-batch', String(TRAIN.batch));
  await page.fill('#train-samples', String(TRAIN.images));
  await page.evaluate(() => {
    const stamps: number[] = [];
    Object.assign(window, { gnetStamps: stamps });
    new MutationObserver(() => stamps.push(performance.now())).observe(document.getElementById('train-progress')!, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#train-start');
  await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout: 1_200_000 });
  const device = (await page.textContent('#train-backend')) ?? '';
  if ((await page.getAttribute('#train-status', 'data-state')) !== 'done') return { where: 'page', backend, device, imagesPerSecond: null, note: (await page.textContent('#train-status')) ?? '' };
  const stamps = await page.evaluate(() => (window as unknown as { gnetStamps: number[] }).gnetStamps);
  const perEpoch = TRAIN.images / TRAIN.batch;
  const epoch2 = stamps.slice(-perEpoch - 1);
  const seconds = (epoch2.at(-1)! - epoch2[0]!) / 1000;
  const used = (await page.getAttribute('#train-backend', 'data-backend')) ?? backend;
  return { where: 'page', backend: used, device: used === 'wasm' ? 'CPU (WebAssembly) in a Chromium worker' : device.replace(/^WebGPU on /, ''), imagesPerSecond: TRAIN.images / seconds };
}

/** `gnet train` in Node, same spec, batch and images; the second epoch's images/s from log.jsonl. */
function nodeThroughput(backend: 'webgpu' | 'wasm'): ThroughputRow {
  const dir = mkdtempSync(join(tmpdir(), 'gnet-bench-train-'));
  try {
    const spec = join(dir, 'gauss-unet-32.gnet');
    writeFileSync(spec, SMALL_GAUSS_UNET());
    const out = join(dir, 'run');
    const args = ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'train', spec, '--network', 'GaussUNet', '--backend', backend, '--epochs', String(TRAIN.epochs), '--batch', String(TRAIN.batch), '--data', `synthetic-cells:${TRAIN.images}`, '--out', out];
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 1_200_000 });
    if (run.status !== 0) return { where: 'node', backend, device: '', imagesPerSecond: null, note: (run.stderr || run.error?.message || '').trim().split('\n').at(-1) };
    const epochs = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { imagesPerSecond: number });
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { device?: string };
    return { where: 'node', backend, device: config.device ?? '', imagesPerSecond: epochs.at(-1)!.imagesPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPlayground(options: { edits?: number; train?: boolean } = {}): Promise<PlaygroundFigures | string> {
  const missing = chromiumMissing();
  if (missing) return missing;
  const dir = mkdtempSync(join(tmpdir(), 'gnet-bench-playground-'));
  await buildPlayground({ out: dir });
  const server = staticServer(dir);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const keystroke = await keystrokes(browser.page, origin, options.edits ?? EDITS);
    const throughput: ThroughputRow[] = [];
    if (options.train !== false) {
      for (const backend of ['webgpu', 'wasm'] as const) {
        throughput.push(await pageThroughput(browser.page, origin, backend));
        throughput.push(nodeThroughput(backend));
      }
    }
    return { keystroke, throughput };
  } finally {
    await browser.close();
    await new Promise((closed) => server.close(closed));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function playgroundLines(figures: PlaygroundFigures | string): string[] {
  if (typeof figures === 'string') return [`playground: not measured (${figures})`];
  const k = figures.keystroke;
  const lines = [`playground, keystroke → updated report, specs/resnet50.gnet: median ${k.medianMs.toFixed(0)} ms, 90th percentile ${k.p90Ms.toFixed(0)} ms over ${k.edits} edits (the compiler worker's part: ${k.workerMs.toFixed(0)} ms)`];
  if (figures.throughput.length > 0) {
    lines.push(`training GaussUNet ${TRAIN.size}×${TRAIN.size}, batch ${TRAIN.batch}, ${TRAIN.images} synthetic cells, second epoch:`);
    lines.push('  where       backend  images/s  device');
    for (const r of figures.throughput) {
      const speed = r.imagesPerSecond === null ? 'failed' : r.imagesPerSecond.toFixed(2);
      lines.push(`  ${(r.where === 'page' ? 'page' : 'gnet train').padEnd(11)} ${r.backend.padEnd(8)} ${speed.padStart(8)}  ${r.device}${r.note ? ` (${r.note})` : ''}`);
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const edits = args.includes('--edits') ? Number(args[args.indexOf('--edits') + 1]) : undefined;
  for (const line of playgroundLines(await benchPlayground({ edits, train: !args.includes('--no-train') }))) process.stdout.write(`${line}\n`);
}
