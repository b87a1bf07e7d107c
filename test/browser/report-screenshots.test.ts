/**
 * report.html in headless Chromium, from two real (tiny) runs: the synthetic-cells segmenter and a
 * Fashion-MNIST classifier. At a 1 280 px window the page must not scroll sideways, log no console
 * error, request nothing (it is self-contained) and, for classification, show the predictions with
 * the dataset's class names. Full-page screenshots land in test-artifacts/report/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paramTable, snapshotOf } from '../../cli/commands/model.js';
import { FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV } from '../../runtime/data/mnist.js';
import { resolveConfig } from '../../runtime/train/config.js';
import { runTraining } from '../../runtime/train/run-training.js';
import { SEGMENTER_SPEC, compileSpec, tempDir, useCpu } from '../train/fixtures.js';
import { chromiumMissing, launchBrowser, type Browser } from './support/browser.js';

const ARTIFACTS = new URL('../../test-artifacts/report/', import.meta.url).pathname;
const VIEWPORT = { width: 1280, height: 900 };

const FASHION_DIR = process.env[FASHION_MNIST_ENV] ?? FASHION_MNIST_DEFAULT_DIR;
const CLASSIFIER = `
network FashionTiny(classes = 10) {
  input image: 28 x 28 x 1
  x = image -> gauss(4, size=5, order=1, bases=2) -> batchnorm -> relu -> maxpool(2)
  output scores = x -> conv(8, size=3) -> relu -> global_avgpool -> dense(classes) -> softmax
  train { data = "fashion-mnist" loss = crossentropy optimizer = adam(lr = 0.02) epochs = 2 batch = 32 train_size = 256 validation_split = 0.01 }
}`;

const missing = chromiumMissing();
const noFashion = existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte')) || existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte.gz')) ? undefined : `no Fashion-MNIST in ${FASHION_DIR} (set ${FASHION_MNIST_ENV})`;
if (missing !== undefined) console.log(`skipping the report screenshots: ${missing}`);
if (noFashion !== undefined) console.log(`skipping the classification report: ${noFashion}`);

await useCpu();

/** A real run of `source` on the cpu backend; returns its report.html. */
async function train(source: string, name: string): Promise<string> {
  const spec = await compileSpec(source, `/specs/${name}.gnet`);
  const { module } = spec.model;
  const config = resolveConfig(module.meta.training as never, {}, module.meta.network);
  const out = join(tempDir(name), 'run');
  const { paths } = await runTraining({
    model: spec.model,
    config,
    out,
    resume: false,
    record: { format: 'gnet-run', version: 1, createdAt: new Date().toISOString(), spec: { file: `/specs/${name}.gnet`, network: module.meta.network, params: {} }, backend: 'cpu', train: config },
    sources: snapshotOf(`/specs/${name}.gnet`, spec.sources),
    moduleSource: spec.source,
    params: paramTable(spec.analysis),
  });
  return paths.report;
}

interface Look {
  readonly scrollWidth: number;
  readonly errors: string[];
  readonly requests: string[];
}

let browser: Browser | undefined;

/** Opens the report at a 1 280 px window, screenshots the whole page to ARTIFACTS/name.png. */
async function look(report: string, name: string): Promise<Look> {
  browser ??= await launchBrowser();
  const { page, console: messages } = browser;
  const requests: string[] = [];
  const onRequest = (request: { url(): string }) => void requests.push(request.url());
  page.on('request', onRequest);
  messages.length = 0;
  await page.setViewportSize(VIEWPORT);
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  page.off('request', onRequest);
  return { scrollWidth, errors: messages.filter((m) => /^(error|pageerror):/.test(m)), requests: requests.filter((url) => !/^(data|file):/.test(url)) };
}

test.after(async () => {
  await browser?.close();
});

(missing === undefined ? test : test.skip)('segmentation report: fits 1 280 px, no console errors, no requests, mask panels', async () => {
  const report = await train(SEGMENTER_SPEC('epochs = 2'), 'segmentation');
  const seen = await look(report, 'segmentation');
  assert.ok(seen.scrollWidth <= VIEWPORT.width, `page ${seen.scrollWidth} px wide`);
  assert.equal(seen.errors, []);
  assert.equal(seen.requests, []);
  const { page } = browser!;
  assert.is(await page.locator('.panel').count(), 4);
  assert.is(await page.locator('#predictions').count(), 0, 'no classification section for a segmenter');
  assert.match((await page.textContent('#backend')) ?? '', 'backend cpu');
});

(missing === undefined && noFashion === undefined ? test : test.skip)('classification report: fits 1 280 px, no console errors, a confusion matrix with Fashion-MNIST names and labelled samples', async () => {
  const report = await train(CLASSIFIER, 'classification');
  const seen = await look(report, 'classification');
  assert.ok(seen.scrollWidth <= VIEWPORT.width, `page ${seen.scrollWidth} px wide`);
  assert.equal(seen.errors, []);
  assert.equal(seen.requests, []);
  const { page } = browser!;
  assert.is(await page.locator('#predictions').count(), 1);
  const headers = await page.locator('table.confusion tr').first().locator('th').allTextContents();
  assert.equal(headers.slice(1, 11), ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  const counted = (await page.locator('table.confusion td:last-child').allTextContents()).map(Number).reduce((a, b) => a + b, 0);
  assert.is(counted, 600, 'every validation image (1 % of 60 000) is in the matrix');
  assert.is(await page.locator('figure.sample').count(), 16);
  const caption = (await page.locator('figure.sample figcaption').first().textContent()) ?? '';
  assert.match(caption, /^predicted (T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) \(\d+ %\)true /);
  // Every image in the page is embedded and has been decoded.
  const images = await page.$$eval('img', (all) => all.map((img) => ({ src: img.src.slice(0, 22), width: img.naturalWidth })));
  assert.ok(images.length > 16 && images.every((i) => i.src === 'data:image/png;base64,' && i.width > 0));
});

test.run();
