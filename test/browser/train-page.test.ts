/**
 * The web page end to end in headless Chromium: it loads LeNet-5 compiled from specs/, trains it five
 * Adam steps on WebGPU and reports each loss in the page and the console; the losses are the ones
 * Node computes on the cpu backend from the same seeds.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../backends/cpu.js';
import { adamLosses, PAGE_SEEDS, syntheticBatch } from '../../web/steps.js';
import { largestLossDifference } from '../webgpu/support/compare.js';
import { LOSS_TOLERANCE } from '../webgpu/support/equivalence.js';
import { compileNetworks } from '../webgpu/support/models.js';
import { buildPage, chromiumMissing, launchBrowser, letBrowserStart, serve, type Browser } from './support/browser.js';

const SPEC = fileURLToPath(new URL('../../specs/lenet5.gnet', import.meta.url));
const STEPS = 5;

const missing = chromiumMissing();
if (missing !== undefined) console.log(`skipping the browser tests: ${missing}`);
const browserTest = missing === undefined ? test : test.skip;

let site: { dir: string; networks: string[]; origin: string; close(): Promise<void> } | undefined;
let browser: Browser | undefined;

test.before(async () => {
  if (missing !== undefined) return;
  const built = await buildPage(SPEC);
  site = { ...built, ...(await serve(built.dir)) };
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await site?.close();
  if (site) rmSync(site.dir, { recursive: true, force: true });
  await cpuBackend.release();
});

async function cpuLosses(): Promise<number[]> {
  const [lenet] = await compileNetworks(SPEC);
  await cpuBackend.init();
  const weights = lenet!.module.createWeights(PAGE_SEEDS.weights);
  const batch = syntheticBatch(lenet!.module.meta, PAGE_SEEDS.batchSize, PAGE_SEEDS.batch);
  const losses = await adamLosses(lenet!.module, weights, batch, STEPS);
  tf.dispose([weights, batch.inputs, batch.targets]);
  return losses;
}

browserTest('the page trains LeNet-5 on WebGPU and reports the losses cpu computes', async () => {
  assert.equal(site!.networks, ['LeNet5']);
  const training = browser!.open(`${site!.origin}/?steps=${STEPS}`);
  await letBrowserStart();
  const want = await cpuLosses();
  await training;
  const { page } = browser!;
  assert.is(await page.getAttribute('#status', 'data-state'), 'done', (await page.textContent('#status')) ?? '');
  assert.match((await page.textContent('#adapter')) ?? '', /\((software|hardware) adapter\)$/);
  const shown = (await page.locator('#losses li').allTextContents()).map(Number);
  const logged = browser!.console.filter((m) => m.startsWith('log: gnet step')).map((m) => Number(m.split('loss ')[1]));
  assert.is(logged.length, STEPS);
  assert.equal(shown, logged.map((loss) => Number(loss.toPrecision(6))));
  assert.ok(largestLossDifference(logged, want) <= LOSS_TOLERANCE, `page ${logged.join(', ')} vs cpu ${want.join(', ')}`);
  assert.equal(browser!.console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

browserTest('asking for a network the page does not hold fails in the page, naming the ones it has', async () => {
  await browser!.open(`${site!.origin}/?network=VGG16`);
  assert.is(await browser!.page.getAttribute('#status', 'data-state'), 'failed');
  assert.is(await browser!.page.textContent('#status'), "failed: no network 'VGG16' in this page; it has LeNet5");
});

test.run();
