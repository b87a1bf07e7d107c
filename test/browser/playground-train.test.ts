/**
 * Training in the playground, headless Chromium: bad settings get a message beside their field and
 * start nothing; GaussUNet trains on synthetic cells in the page's worker on WebGPU (chosen: the
 * automatic choice passes over software adapters), says which backend and adapter it runs on, stops
 * and continues, and its loss falls. The trained GaussUNet comes through a shared link with its
 * input shrunk to 16×16 (software WebGPU needs minutes per step at 128×128).
 * Screenshots go to test-artifacts/ (git-ignored).
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { openLink, SMALL_GAUSS_UNET } from './support/playground-page.js';
import { ARTIFACTS, usePlaygroundSite } from './support/playground-site.js';
/** Steps to train: enough for Adam at 0.01 to lower the loss, few enough for a software GPU. */
const STEPS = 6;

const { browserTest, site, browser } = usePlaygroundSite();

async function openGaussUNet(page: Page): Promise<void> {
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
  await page.selectOption('#network', 'GaussUNet');
  await page.click('#tab-train');
}

browserTest('the fields start from the train section; bad values get a message beside their field and start nothing', async () => {
  const { page } = browser();
  await openGaussUNet(page);
  assert.equal(
    await Promise.all(['epochs', 'batch', 'lr', 'samples'].map((f) => page.inputValue(`#train-${f}`))),
    ['3', '8', '0.01', '400'],
    'gauss-unet.gnet: epochs = 3, batch = 8, adam(lr = 0.01), data = "synthetic-cells:400"',
  );
  await page.fill('#train-batch', '0');
  assert.is(await page.textContent('#batch-error'), 'the batch size must be at least 1, not 0');
  await page.fill('#train-lr', 'fast');
  assert.is(await page.textContent('#lr-error'), 'the learning rate must be a number, not “fast”');
  await page.fill('#train-epochs', '1.5');
  assert.is(await page.textContent('#epochs-error'), 'epochs must be a whole number, not 1.5');
  await page.click('#train-start');
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'invalid');
  assert.is(await page.getAttribute('#train-batch', 'aria-invalid'), 'true');
  await page.fill('#train-batch', '500');
  await page.fill('#train-lr', '0.01');
  await page.fill('#train-epochs', '1');
  await page.click('#train-start');
  assert.is(await page.textContent('#batch-error'), 'the batch size (500) must not exceed the number of images (400)');
  await page.screenshot({ path: join(ARTIFACTS, 'playground-train-fields.png'), fullPage: true });
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

browserTest(`GaussUNet trains ${STEPS} steps on synthetic cells in the page and its loss falls`, async () => {
  const { page } = browser();
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET);
  assert.match((await page.textContent('.report-header')) ?? '', /network GaussUNet: image 16×16×3/);
  await page.click('#tab-train');
  await page.selectOption('#train-backend-choice', 'webgpu');
  await page.fill('#train-epochs', '1');
  await page.fill('#train-batch', '2');
  await page.fill('#train-samples', String(2 * STEPS));
  await page.fill('#train-lr', '0.01');
  await page.click('#train-start');
  await page.waitForFunction(() => /^step [12] /.test(document.querySelector('#train-progress')?.textContent ?? ''), undefined, { timeout: 400_000 });
  await page.click('#train-stop');
  await page.waitForSelector('#train-status[data-state="paused"], #train-status[data-state="failed"]', { timeout: 120_000 });
  const losses = () => page.evaluate(() => (window as unknown as { gnetPlayground: { losses(): number[] } }).gnetPlayground.losses());
  const atStop = (await losses()).length;
  assert.ok(atStop < STEPS, `stopped after ${atStop} steps`);
  await new Promise((wait) => setTimeout(wait, 2000));
  assert.is((await losses()).length, atStop, 'no steps while stopped');
  assert.ok(await page.isEnabled('#train-continue'));
  await page.click('#train-continue');
  await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout: 300_000 });
  const status = (await page.textContent('#train-status')) ?? '';
  await page.screenshot({ path: join(ARTIFACTS, 'playground-train.png'), fullPage: true });
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', status);
  assert.match((await page.textContent('#train-backend')) ?? '', /^(WebGPU on .+ \((software|hardware) adapter\)|wasm on the CPU — no WebGPU here \(.+\))$/);
  const all = await losses();
  assert.is(all.length, STEPS, 'continue goes on to the end of the epoch');
  assert.ok(all.every(Number.isFinite), all.join(', '));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(all.slice(-2)) < mean(all.slice(0, 2)), `the loss falls: ${all.join(', ')}`);
  assert.match((await page.textContent('#train-log')) ?? '', /^epoch 1: loss \d/);
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

test.run();
