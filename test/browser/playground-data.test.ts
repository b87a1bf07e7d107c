/**
 * Training in the playground on the user's data, headless Chromium on the wasm backend (?backend=wasm:
 * WebGPU is not what these tests are about, and software WebGPU needs minutes per first step).
 * The reference network trains on a small IDX data set the test writes (gzipped images, plain
 * labels) and shows falling loss, validation per epoch and labelled sample predictions; GaussUNet on
 * synthetic cells shows its kernels drawn and changing and its masks. Bad data files get their
 * message beside the data picker. Screenshots go to test-artifacts/ (git-ignored).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { ARTIFACTS, ROOT, usePlaygroundSite } from './support/playground-site.js';
import { idxBytes, patternImages, pngBytes, tempDir, writeIdxSet } from './support/data-files.js';

const { browserTest, site, browser } = usePlaygroundSite();
const link = (file: string, text: string) => `#file=${file}&code=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;
const SMALL_GAUSS_UNET = readFileSync(join(ROOT, 'specs/gauss-unet.gnet'), 'utf8').replace(/128 x 128 x 3/g, '32 x 32 x 3');
const errorsInConsole = () => browser().console.filter((m) => /^(error|pageerror)/.test(m));

async function openReference(page: Page): Promise<void> {
  await page.goto(`${site().origin}/?backend=wasm`);
  await page.click('#examples button[data-path="/specs/reference.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
}

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) await page.fill(`#train-${field}`, value);
}

const finished = (page: Page, timeout = 300_000) => page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout });

browserTest('the reference network trains on IDX files: the loss falls, validation is listed per epoch, predictions are labelled', async () => {
  const { page } = browser();
  const dir = tempDir('gnet-idx-');
  const files = writeIdxSet(dir, 100, 20);
  await openReference(page);
  await page.selectOption('#data-source', 'idx');
  await page.setInputFiles('#data-files', files);
  assert.match((await page.textContent('#data-summary')) ?? '', /training and t10k files: /);
  await fill(page, { epochs: '3', batch: '10', lr: '0.02', samples: '100' });
  await page.click('#train-start');
  await finished(page);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-data-idx.png'), fullPage: true });
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  assert.is(await page.textContent('#train-backend'), 'wasm on the CPU (chosen)');
  assert.is(await page.textContent('#data-summary'), 'IDX files: training on 100 of 100 images 28×28×1, validating on 20 test images');
  const losses = await page.evaluate(() => (window as unknown as { gnetPlayground: { losses(): number[] } }).gnetPlayground.losses());
  assert.is(losses.length, 30);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)), `the loss falls: ${losses.map((l) => l.toFixed(3)).join(', ')}`);
  const validation = await page.$$eval('#train-validation li', (items) => items.map((i) => i.textContent ?? ''));
  assert.is(validation.length, 3);
  validation.forEach((line, i) => assert.match(line, new RegExp(`^epoch ${i + 1}: validation loss \\d[\\d.e+-]*, accuracy \\d\\.\\d{3}.* \\(20 images\\)$`)));
  const samples = await page.$$eval('#train-predictions figure.sample', (items) => items.map((i) => i.querySelector('figcaption')?.textContent ?? ''));
  assert.is(samples.length, 8);
  // reference.gnet trains on data = "fashion-mnist", so the classes have its names.
  samples.forEach((caption) => assert.match(caption, /^[\w/ -]+ \(\d\.\d\d\) \/ [\w/ -]+$/, caption));
  assert.match((await page.textContent('#train-predictions p')) ?? '', /^validation images after epoch 3/);
  assert.equal(errorsInConsole(), []);
});

test.run();
