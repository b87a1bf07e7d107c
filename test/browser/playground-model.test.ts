/**
 * The trained model leaves the playground and comes back, headless Chromium + Node: a tiny segmenter
 * (a gauss layer, batch norm, a 1×1 convolution) trains two steps on synthetic cells on wasm, the
 * page's download is unzipped, and `gnet predict` on the unpacked folder gives the page's masks;
 * stock tf.loadGraphModel on its tfjs/ folder gives the page's scores, its log.jsonl holds the epoch;
 * loading the zip back names the backend it runs on, shows its kernels and masks, opens the
 * spec and predicts the same again. A file that is no zip gets a message.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { readLog } from '../../runtime/train/log.js';
import { openLink, showTab } from './support/playground-page.js';
import { ARTIFACTS, ROOT, usePlaygroundSite } from './support/playground-site.js';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';

const SIZE = 24;
const TINY = `/// A segmenter small enough to train in a test.
network TinySeg {
  input image: ${SIZE} x ${SIZE} x 3
  output mask = image -> gauss(4, 5, order = 2, bases = 2) -> batchnorm -> relu -> conv(2, 1) -> softmax

  train {
    data = "synthetic-cells:4"
    loss = crossentropy
    optimizer = adam(lr = 0.05)
    epochs = 1
    batch = 2
    metrics = [accuracy]
  }
}
`;
/** Float32 on wasm in the page against float32 on cpu in Node. */
const TOLERANCE = 1e-4;

const { browserTest, site, browser } = usePlaygroundSite();
const work = mkdtempSync(join(tmpdir(), 'gnet-playground-model-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

interface Output {
  shape: number[];
  values: number[];
}

/** Three images with smooth, different patterns, written as PNG; their pixels / 255 as the network reads them. */
function makeImages(): { files: string[]; pixels: number[][] } {
  const files: string[] = [];
  const pixels: number[][] = [];
  for (let k = 0; k < 3; k++) {
    const png = new PNG({ width: SIZE, height: SIZE });
    const x: number[] = [];
    for (let i = 0; i < SIZE * SIZE; i++) {
      const [r, c] = [Math.floor(i / SIZE), i % SIZE];
      const rgb = [128 + 127 * Math.sin((r + 3 * k) / 3), 128 + 127 * Math.cos((c * (k + 1)) / 5), ((r * c + 40 * k) % 256)].map(Math.round);
      png.data.set([...rgb, 255], 4 * i);
      x.push(...rgb.map((v) => v / 255));
    }
    const file = join(work, `image-${k}.png`);
    writeFileSync(file, PNG.sync.write(png));
    files.push(file);
    pixels.push(x);
  }
  return { files, pixels };
}

const predictInPage = (page: Page, pixels: number[][]) =>
  page.evaluate(async (images) => {
    const playground = (window as unknown as { gnetPlayground: { predict(i: number[][]): Promise<{ shape: number[]; values: Float32Array }[]> } }).gnetPlayground;
    return (await playground.predict(images)).map((o) => ({ shape: [...o.shape], values: Array.from(o.values) }));
  }, pixels);

/** The class of each pixel, and how far the best score is ahead of the second. */
function argmax(output: Output): { classes: number[]; margins: number[] } {
  const k = output.shape.at(-1)!;
  const classes: number[] = [];
  const margins: number[] = [];
  for (let p = 0; p < output.values.length / k; p++) {
    const scores = output.values.slice(p * k, (p + 1) * k);
    const best = scores.indexOf(Math.max(...scores));
    classes.push(best);
    margins.push(scores[best]! - Math.max(...scores.filter((_, i) => i !== best)));
  }
  return { classes, margins };
}

const maxDifference = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Unpacks the zip into `into`; returns the folder that holds config.json. */
function unzipInto(zip: Uint8Array, into: string): { folder: string; names: string[] } {
  const files = unzipSync(zip);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), bytes);
  }
  const config = Object.keys(files).find((n) => n.endsWith('config.json'))!;
  return { folder: join(into, dirname(config)), names: Object.keys(files).map((n) => n.slice(dirname(config).length + 1)).sort() };
}

browserTest('a model trained in the page downloads as a run folder that gnet predict and tf.loadGraphModel read, and loads back', async () => {
  const { page } = browser();
  const { files, pixels } = makeImages();
  await openLink(page, site().origin, 'tiny-seg.gnet', TINY, '?backend=wasm');
  await showTab(page, 'train');
  assert.ok(await page.isDisabled('#model-download'), 'nothing to download before training');
  await page.fill('#train-samples', '4');
  await page.click('#train-start');
  await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout: 300_000 });
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  assert.match((await page.textContent('#train-backend')) ?? '', /^wasm on the CPU/);
  const inPage = await predictInPage(page, pixels);
  assert.equal(inPage.map((o) => o.shape), [[1, SIZE, SIZE, 2], [1, SIZE, SIZE, 2], [1, SIZE, SIZE, 2]]);

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#model-download')]);
  assert.is(download.suggestedFilename(), 'TinySeg-playground.zip');
  const zipFile = join(work, 'TinySeg-playground.zip');
  await download.saveAs(zipFile);
  await page.waitForSelector('#model-status[data-state="ok"]');
  const { folder, names } = unzipInto(readFileSync(zipFile), join(work, 'unzipped'));
  assert.equal(names, ['README.md', 'config.json', 'log.jsonl', 'model/model.json', 'model/model.ts', 'model/weights.bin', 'sources.json', 'tfjs/README.md', 'tfjs/model.json', 'tfjs/weights.bin', 'tiny-seg.gnet']);
  assert.is(readFileSync(join(folder, 'tiny-seg.gnet'), 'utf8'), TINY);
  const [epoch] = readLog(join(folder, 'log.jsonl'));
  assert.equal([epoch!.epoch, epoch!.step, epoch!.lr], [1, 2, 0.05], 'one epoch of two steps at the spec\'s rate');
  const shownLoss = /^epoch 1: loss ([\d.]+)/.exec((await page.textContent('#train-log')) ?? '')![1]!;
  assert.is(epoch!.loss.toPrecision(4), shownLoss, 'the loss the page listed');
  assert.ok(epoch!.validation !== null && epoch!.imagesPerSecond > 0);

  // gnet predict on the unpacked folder, in Node on the cpu backend: the same mask as the page's scores.
  const out = join(work, 'predicted');
  const cli = spawnSync(process.execPath, [...GNET_NODE_ARGS, 'predict', folder, ...files, '--out', out, '--backend', 'cpu'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(cli.status, 0, cli.stderr);
  files.forEach((file, k) => {
    const mask = PNG.sync.read(readFileSync(join(out, `image-${k}.png`)));
    const { classes, margins } = argmax(inPage[k]!);
    const differing = classes.filter((c, p) => mask.data[4 * p] !== c && margins[p]! > TOLERANCE);
    assert.is(differing.length, 0, `image ${k}: ${differing.length} pixels of gnet predict's mask differ from the page's (beyond near-ties)`);
  });

  // The tfjs/ folder through stock tf.loadGraphModel: the page's scores within float tolerance.
  const inputs = join(work, 'inputs.json');
  for (const [k, x] of pixels.entries()) {
    writeFileSync(inputs, JSON.stringify({ image: { shape: [1, SIZE, SIZE, 3], values: x } }));
    const loaded = spawnSync(process.execPath, [join(ROOT, 'test/export/load-graph-model.mjs'), join(folder, 'tfjs'), inputs], { cwd: ROOT, encoding: 'utf8' });
    assert.is(loaded.status, 0, loaded.stderr);
    const graph = (JSON.parse(loaded.stdout) as { outputs: Output[] }).outputs[0]!;
    assert.equal(graph.shape, inPage[k]!.shape);
    const difference = maxDifference(graph.values, inPage[k]!.values);
    assert.ok(difference < TOLERANCE, `image ${k}: the graph model differs from the page by ${difference}`);
  }

  // Back into a fresh page: the spec opens in the editor, the weights predict as before.
  await openLink(page, site().origin, 'gauss-unet.gnet', readFileSync(join(ROOT, 'specs/gauss-unet.gnet'), 'utf8'), '?backend=wasm');
  await page.setInputFiles('#model-file', zipFile);
  await page.waitForSelector('#model-status[data-state="loaded"], #model-status[data-state="error"]', { timeout: 120_000 });
  assert.is(await page.getAttribute('#model-status', 'data-state'), 'loaded', (await page.textContent('#model-status')) ?? '');
  assert.match((await page.textContent('#model-status')) ?? '', /^loaded TinySeg \(\d+ trainable parameters, trained 1 epoch in the page\); it runs on wasm on the CPU; Train goes on from these weights$/);
  assert.is(await page.textContent('#train-backend'), 'wasm on the CPU (chosen)', 'the backend named is the one the model runs on');
  // The loaded model's own kernels and its masks on the synthetic cells.
  await page.waitForSelector('#train-predictions figure.masks');
  assert.match((await page.textContent('#train-kernels figcaption')) ?? '', /^[\w.]+: 2 bases × \d+ kernels of 5×5, of the loaded model$/);
  assert.is(await page.locator('#train-predictions figure.masks').count(), 3);
  assert.match((await page.textContent('#train-predictions p')) ?? '', /^validation images by the loaded model \(trained 1 epoch in the page\): input, true mask, predicted mask$/);
  assert.is(await page.evaluate(() => (window as unknown as { gnetPlayground: { text(): string } }).gnetPlayground.text()), TINY);
  await page.waitForFunction(() => (document.querySelector('#network') as HTMLSelectElement).value === 'TinySeg');
  assert.ok(await page.isChecked('#train-from-model'), 'training goes on from the loaded weights');
  const again = await predictInPage(page, pixels);
  again.forEach((o, k) => assert.ok(maxDifference(o.values, inPage[k]!.values) < 1e-6, `image ${k}: the loaded model predicts as the trained one`));
  await page.screenshot({ path: join(ARTIFACTS, 'playground-model-loaded.png'), fullPage: true });

  // Not a zip: a message beside the button, nothing loaded.
  await page.setInputFiles('#model-file', { name: 'weights.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') });
  await page.waitForSelector('#model-status[data-state="error"]');
  assert.match((await page.textContent('#model-status')) ?? '', /^weights\.zip: this file is not a zip archive .*; pick the \.zip the playground downloaded$/);
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
  assert.ok(readdirSync(out).includes('predictions.json'));
});

test.run();
