/**
 * Training in the playground on the user's data, headless Chromium on the wasm backend (?backend=wasm:
 * WebGPU is not what these tests are about, and software WebGPU needs minutes per first step).
 * The reference network trains on a small IDX data set the test writes (gzipped images, plain
 * labels) and shows falling loss, validation per epoch and labelled sample predictions; GaussUNet on
 * synthetic cells shows its kernels drawn and changing and its masks. Bad data files get their
 * message beside the data picker as soon as they are picked, and again if Train is clicked; picked
 * files are named again after a reload, and read again where the browser kept their handles.
 * Running out of memory keeps the previous model. Screenshots go to test-artifacts/ (git-ignored).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { ARTIFACTS, usePlaygroundSite } from './support/playground-site.js';
import { idxBytes, patternImages, pngBytes, tempDir, writeIdxSet } from './support/data-files.js';
import { openLink, showTab, SMALL_GAUSS_UNET } from './support/playground-page.js';

const { browserTest, site, browser } = usePlaygroundSite();
const errorsInConsole = () => browser().console.filter((m) => /^(error|pageerror)/.test(m));

async function openReference(page: Page): Promise<void> {
  await page.goto(`${site().origin}/?backend=wasm`);
  await page.click('#examples button[data-path="/specs/reference.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
  await showTab(page, 'train');
}

/** The summary once the picked files have been read and checked. */
async function checkedSummary(page: Page): Promise<string> {
  await page.waitForFunction(() => /^checked: /.test(document.querySelector('#data-summary')?.textContent ?? ''), undefined, { timeout: 60_000 });
  return (await page.textContent('#data-summary')) ?? '';
}

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) await page.fill(`#train-${field}`, value);
}

/** Waits for the run to end; on a timeout says where it stood. */
async function finished(page: Page, timeout = 300_000): Promise<void> {
  try {
    await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout });
  } catch (error) {
    throw new Error(`the run did not end: status “${await page.textContent('#train-status')}”, data error “${await page.textContent('#data-error')}”; console: ${browser().console.join(' | ')}`, { cause: error });
  }
}

browserTest('the reference network trains on IDX files: the loss falls, validation is listed per epoch, predictions are labelled', async () => {
  const { page } = browser();
  const dir = tempDir('gnet-idx-');
  const files = writeIdxSet(dir, 100, 20);
  await openReference(page);
  assert.is(await page.inputValue('#data-source'), 'idx', 'a classifier suggests IDX files');
  await fill(page, { epochs: '3', batch: '10', lr: '0.02', samples: '100' });
  await page.setInputFiles('#data-files', files);
  assert.is(await checkedSummary(page), 'checked: IDX files: training on 100 of 100 images 28×28×1, validating on 20 test images', 'read and checked when picked');
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

browserTest('GaussUNet on synthetic cells: its kernels are drawn before training and change with the steps; masks are shown', async () => {
  const { page } = browser();
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET, '?backend=wasm');
  await showTab(page, 'train');
  await page.selectOption('#data-source', 'cells');
  await fill(page, { epochs: '1', batch: '2', lr: '0.05', samples: '6' });
  // Every drawing of the kernels: the step it shows, its pixels, and how many are neither background nor white.
  await page.evaluate(() => {
    const shots: { step: string; url: string; inked: number }[] = [];
    const box = document.querySelector('#train-kernels')!;
    new MutationObserver(() => {
      const canvas = box.querySelector('canvas');
      if (!canvas) return;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (!(data[i] === data[i + 1] && data[i + 1] === data[i + 2])) inked++;
      shots.push({ step: (box as HTMLElement).dataset.step ?? '', url: canvas.toDataURL(), inked });
    }).observe(box, { childList: true });
    Object.assign(window, { kernelShots: shots });
  });
  await page.click('#train-start');
  await finished(page);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-data-kernels.png'), fullPage: true });
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  const shots = await page.evaluate(() => (window as unknown as { kernelShots: { step: string; url: string; inked: number }[] }).kernelShots);
  assert.ok(shots.length >= 2, `kernels drawn ${shots.length} times`);
  assert.is(shots[0]!.step, '0');
  assert.is(shots.at(-1)!.step, '3');
  assert.ok(shots.every((s) => s.inked > 100), `coloured pixels: ${shots.map((s) => s.inked).join(', ')}`);
  assert.is.not(shots.at(-1)!.url, shots[0]!.url, 'the kernels change with training');
  const layers = await page.$$eval('#train-kernels figcaption', (items) => items.map((i) => i.textContent ?? ''));
  assert.ok(layers.length >= 1);
  layers.forEach((caption) => assert.match(caption, /^[\w.]+: \d+ bases × \d+ kernels of \d+×\d+, after step 3$/));
  const masks = await page.$$eval('#train-predictions figure.masks', (items) => items.map((i) => i.querySelectorAll('canvas').length));
  assert.equal(masks, [3, 3]);
  assert.match((await page.textContent('#train-predictions p')) ?? '', /^validation images after epoch 1: input, true mask, predicted mask$/);
  assert.match((await page.textContent('#train-validation')) ?? '', /^epoch 1: validation loss \d[\d.e+-]*, .+ \(2 images\)$/);
  assert.is(await page.textContent('#data-summary'), 'synthetic cells: training on 6 images 16×16×3, validating on 2 others');
  assert.equal(errorsInConsole(), []);
});

browserTest('a picked folder with one subfolder per class trains the reference network; predictions are named after the folders', async () => {
  const { page } = browser();
  const root = join(tempDir('gnet-folder-'), 'garments');
  const names = ['bag', 'boot', 'coat', 'dress', 'pullover', 'sandal', 'shirt', 'sneaker', 'top', 'trouser'];
  names.forEach((name, c) => {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(root, name, `${i}.png`), pngBytes(28, 28, (_, y) => (Math.abs(y - 2 - 2 * c) <= 1 ? 230 : 10 * i)));
  });
  await openReference(page);
  await page.selectOption('#data-source', 'folder');
  await fill(page, { epochs: '1', batch: '9', lr: '0.01', samples: '100' });
  await page.setInputFiles('#data-folder', root);
  assert.is(await checkedSummary(page), 'checked: image folder: training on 27 of 30 images 28×28×1, validating on 3 held out');
  await page.click('#train-start');
  await finished(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  assert.is(await page.textContent('#data-summary'), 'image folder: training on 27 of 30 images 28×28×1, validating on 3 held out');
  const captions = await page.$$eval('#train-predictions figure.sample figcaption', (items) => items.map((i) => i.textContent ?? ''));
  assert.is(captions.length, 3);
  captions.forEach((caption) => assert.match(caption, new RegExp(`^(${names.join('|')}) \\(\\d\\.\\d\\d\\) / (${names.join('|')})$`), caption));
  assert.equal(errorsInConsole(), []);
});

/**
 * Picks `files` as the data and returns the message beside the data picker: shown once they are read,
 * before any training; Train then fails with the same message in its status.
 */
async function dataMessage(page: Page, kind: 'idx' | 'folder', files: string[]): Promise<string> {
  await page.selectOption('#data-source', kind);
  await page.setInputFiles('#data-files', files);
  await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '') !== '', undefined, { timeout: 60_000 });
  const message = (await page.textContent('#data-error')) ?? '';
  assert.is(await page.getAttribute('#data-files', 'aria-invalid'), 'true');
  await page.click('#train-start');
  await finished(page, 120_000);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'failed');
  assert.ok(await page.isEnabled('#train-start'), 'Train is enabled again');
  assert.is(await page.textContent('#data-error'), message, 'training gives the message the check gave');
  assert.is(await page.textContent('#train-status'), message, 'the status says the same');
  return message;
}

browserTest('bad data files: each gets a readable message beside the data picker, and Train works again', async () => {
  const { page } = browser();
  const dir = tempDir('gnet-bad-');
  const [trainImagesGz, trainLabels] = writeIdxSet(dir, 100, 0);
  const write = (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  const good = patternImages(100, 28, 10);
  const plainImages = idxBytes([100, 28, 28], good.images);
  await openReference(page);
  await fill(page, { epochs: '1', batch: '10', lr: '0.01', samples: '100' });

  await page.selectOption('#data-source', 'idx');
  await page.setInputFiles('#data-files', [write('notes.txt', 'not data'), trainLabels!]);
  assert.match((await page.textContent('#data-error')) ?? '', /^GN7005: notes\.txt is not one of the MNIST file names; expected train-images-idx3-ubyte, /);

  await page.selectOption('#data-source', 'cells');
  await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '').startsWith('GN7008'));
  assert.match((await page.textContent('#data-error')) ?? '', /^GN7008: this network classifies images \(output probs \[10\]\); the synthetic cells are for segmentation: choose MNIST/, 'said as soon as cells are chosen');
  await page.click('#train-start');
  await finished(page, 120_000);
  assert.match((await page.textContent('#data-error')) ?? '', /^GN7008: this network classifies images \(output probs \[10\]\); the synthetic cells are for segmentation: choose MNIST/);

  const notIdx = write('train-images-idx3-ubyte', 'P5 28 28 255 this is a picture, not IDX');
  assert.is(await dataMessage(page, 'idx', [notIdx, trainLabels!]), 'GN7002: train-images-idx3-ubyte is not a valid IDX file: the magic number does not start with two zero bytes');

  const truncated = write('train-images-idx3-ubyte', plainImages.subarray(0, plainImages.length - 100));
  assert.is(await dataMessage(page, 'idx', [truncated, trainLabels!]), 'GN7002: train-images-idx3-ubyte is not a valid IDX file: truncated: dimensions 100×28×28 need 78400 data bytes, found 78300');

  const zipped = readFileSync(trainImagesGz!);
  const brokenGzip = write('broken/train-images-idx3-ubyte.gz', zipped.subarray(0, zipped.length >> 1));
  assert.match(await dataMessage(page, 'idx', [brokenGzip, trainLabels!]), /^GN7002: train-images-idx3-ubyte\.gz starts like gzip but cannot be unpacked \(.+\); the file is damaged or cut short: copy it again$/);

  const fewLabels = write('few/train-labels-idx1-ubyte', idxBytes([90], good.labels.subarray(0, 90)));
  assert.is(await dataMessage(page, 'idx', [trainImagesGz!, fewLabels]), 'GN7003: train-images-idx3-ubyte.gz holds 100 images but train-labels-idx1-ubyte holds 90 labels; the two files must come from the same release');

  const big = patternImages(100, 32, 10);
  const bigImages = write('big/train-images-idx3-ubyte.gz', gzipSync(idxBytes([100, 32, 32], big.images)));
  assert.is(await dataMessage(page, 'idx', [bigImages, trainLabels!]), 'GN7006: IDX files images are 32×32 but the network input is 28×28; use an input of at least 32×32 (smaller ones are padded centred with zeros)');

  const bar = (row: number) => pngBytes(28, 28, (_, y) => (y === row ? 255 : 0));
  const images = ['a.png', 'b.png', 'c.png'].map((name, i) => write(name, bar(5 + i)));
  write('classes.txt', 'cat\ndog\n');
  const labels = write('labels.csv', 'image,class\na.png,cat\nb.png,dog\nc.png,zebra\n');
  assert.is(await dataMessage(page, 'folder', [...images, labels, join(dir, 'classes.txt')]), 'GN7004: labels.csv line 4: class “zebra” of c.png is not one of the classes in classes.txt (cat, dog); fix the label or add the class');

  const broken = write('d.png', Buffer.concat([bar(3).subarray(0, 40), Buffer.alloc(60)]));
  const labelsWithBroken = write('labels.csv', 'a.png,cat\nb.png,dog\nd.png,cat\n');
  assert.match(await dataMessage(page, 'folder', [images[0]!, images[1]!, broken, labelsWithBroken, join(dir, 'classes.txt')]), /^GN7002: d\.png cannot be decoded as an image \(.+\); re-export it as PNG or JPEG, or leave it out$/);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-data-errors.png'), fullPage: true });
  assert.equal(errorsInConsole(), []);
});

browserTest('a lost GPU device gives its message beside the backend and an offer to train on wasm, which works', async () => {
  const { page } = browser();
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET);
  await showTab(page, 'train');
  await page.selectOption('#train-backend-choice', 'webgpu');
  await page.selectOption('#data-source', 'cells');
  await fill(page, { epochs: '1', batch: '2', lr: '0.01', samples: '2' });
  await page.click('#train-start');
  await page.waitForSelector('#train-backend[data-backend]', { timeout: 120_000 });
  if ((await page.getAttribute('#train-backend', 'data-backend')) !== 'webgpu') {
    console.log(`no WebGPU in this Chromium (${await page.textContent('#train-backend')}): the lost-device check needs it`);
    await finished(page);
    return;
  }
  await page.evaluate(() => (window as unknown as { gnetPlayground: { loseDevice(): void } }).gnetPlayground.loseDevice());
  await finished(page);
  const status = (await page.textContent('#train-status')) ?? '';
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'failed', status);
  assert.match(status, /^GN0912: the GPU device was lost \(driver reset, GPU removed or released\); the run's tensors are gone: train again, or train on wasm$/, status);
  assert.ok(await page.isVisible('#train-on-wasm'), 'the offer sits beside the backend');
  await page.screenshot({ path: join(ARTIFACTS, 'playground-data-device-lost.png'), fullPage: true });
  await page.click('#train-on-wasm');
  await finished(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  assert.is(await page.textContent('#train-backend'), 'wasm on the CPU (chosen)');
  assert.not.ok(await page.isVisible('#train-on-wasm'));
});

browserTest('running out of memory says to reduce the batch or image size, beside the batch size, and keeps the previous model', async () => {
  const { page } = browser();
  // 128 maps of 512×512: 2 GiB for one activation at batch 16, more than wasm can address; 128 MiB at batch 1.
  const wide = [
    'network Wide(classes = 2) {',
    '  input image: 512 x 512 x 1',
    '  output mask = image -> conv(128, 3, padding = same) -> relu -> conv(classes, 1) -> softmax',
    '  train {',
    '    data = "synthetic-cells:16"',
    '    loss = crossentropy',
    '    optimizer = adam(lr = 0.01)',
    '    epochs = 1',
    '    batch = 16',
    '  }',
    '}',
  ].join('\n');
  await openLink(page, site().origin, 'wide.gnet', wide, '?backend=wasm');
  await showTab(page, 'train');
  await page.selectOption('#data-source', 'cells');
  // A batch that fits first: its model is the one to keep.
  await fill(page, { epochs: '1', batch: '1', lr: '0.01', samples: '1' });
  await page.click('#train-start');
  await finished(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  const kept = await predictOne(page);
  await fill(page, { epochs: '1', batch: '16', lr: '0.01', samples: '16' });
  await page.click('#train-start');
  await finished(page);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-data-oom.png'), fullPage: true });
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'failed');
  assert.is(await page.textContent('#batch-error'), 'GN0961: the browser ran out of memory; reduce the batch or image size and train again');
  assert.is(await page.textContent('#train-status'), await page.textContent('#batch-error'));
  assert.ok(await page.isEnabled('#train-start'));
  // The previous model is back in the new worker: Download gives it, and it predicts as before.
  await page.waitForSelector('#model-status[data-state="ok"]');
  assert.is(await page.textContent('#model-status'), 'the failed run left the previous model in place (Wide after 1 epoch); Download gives that one');
  assert.ok(await page.isEnabled('#model-download'));
  assert.equal(await predictOne(page), kept, 'the same weights as before the failed run');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#model-download')]);
  assert.is(download.suggestedFilename(), 'Wide-playground.zip');
  // A fresh worker: a batch that fits trains.
  await fill(page, { batch: '1', samples: '1' });
  await page.click('#train-start');
  await finished(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
});

browserTest('an error that escapes the training worker, or a worker that cannot load, is a coded message and Train works again', async () => {
  const { page } = browser();
  const context = page.context();
  const worker = '**/train-worker.js';
  try {
    // A worker whose top level throws a raw TensorFlow.js-style message: the page must not show it.
    await context.route(worker, (route) => route.fulfill({ contentType: 'text/javascript', body: "throw new Error('Size(4704) must match the product of shape 0,784,6');" }));
    await openReference(page);
    await page.selectOption('#data-source', 'cells');
    await page.click('#train-start');
    await finished(page, 60_000);
    assert.is(await page.textContent('#train-status'), 'GN0962: the training worker stopped on an unexpected error (details in the browser console); train again, or reload the page if it repeats');
    assert.ok(await page.isEnabled('#train-start'));
    await context.unroute(worker);
    await context.route(worker, (route) => route.abort());
    await page.click('#train-start');
    await finished(page, 60_000);
    assert.is(await page.textContent('#train-status'), "GN0962: the training worker could not load (train-worker.js); check that the page's files are all served, then reload it");
    assert.ok(await page.isEnabled('#train-start'));
  } finally {
    await context.unroute(worker);
  }
});

browserTest('picked files are named again after a reload; where the browser kept their handles, one click reads them again', async () => {
  const { page } = browser();
  const dir = tempDir('gnet-kept-');
  const files = writeIdxSet(dir, 30, 10);
  await openReference(page);
  await page.selectOption('#data-source', 'idx');
  await page.setInputFiles('#data-files', files);
  await checkedSummary(page);
  await page.reload();
  await page.waitForSelector('#status[data-state="ok"]');
  await page.waitForSelector('#data-kept:not([hidden])');
  assert.is(await page.inputValue('#data-source'), 'idx');
  assert.is(await page.textContent('#data-kept-text'), 'Last time you picked train-images-idx3-ubyte.gz, train-labels-idx1-ubyte, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte. This browser cannot keep picked files across a reload (only their names): pick them again.');
  assert.ok(await page.isHidden('#data-reuse'), 'files from a plain file input have no handle to keep');

  // Chromium's file picker gives handles; here it returns files of the origin's private file system, as a user's pick would.
  await page.evaluate(async (contents) => {
    const root = await navigator.storage.getDirectory();
    const handles: FileSystemFileHandle[] = [];
    for (const [name, bytes] of Object.entries(contents)) {
      const handle = await root.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
      handles.push(handle);
    }
    (window as unknown as { showOpenFilePicker: unknown }).showOpenFilePicker = () => Promise.resolve(handles);
  }, Object.fromEntries(files.map((f) => [f.split('/').pop()!, Array.from(readFileSync(f))])));
  await page.click('#data-files');
  assert.match(await checkedSummary(page), /^checked: IDX files: training on \d+ of 30 images 28×28×1, validating on 10 test images$/);
  await page.reload();
  await page.waitForSelector('#status[data-state="ok"]');
  await page.waitForSelector('#data-reuse:not([hidden])');
  assert.match((await page.textContent('#data-kept-text')) ?? '', /^Last time you picked .*\. The browser kept access to them:$/);
  await page.click('#data-reuse');
  assert.match(await checkedSummary(page), /^checked: IDX files: training on \d+ of 30 images 28×28×1, validating on 10 test images$/);
  assert.ok(await page.isHidden('#data-kept'));

  // A kept file deleted since: the message says so, and to pick again.
  await page.reload();
  await page.waitForSelector('#data-reuse:not([hidden])');
  await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('t10k-labels-idx1-ubyte'));
  await page.click('#data-reuse');
  await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '') !== '');
  assert.match((await page.textContent('#data-error')) ?? '', /^GN0964: t10k-labels-idx1-ubyte cannot be read any more \(NotFoundError: moved, renamed or deleted since it was picked\); pick the files again$/);
  assert.match((await page.textContent('#data-kept-text')) ?? '', /pick them again\.$/);
  assert.equal(errorsInConsole(), []);
});

/** The current model's scores for one constant image of Wide's input (512×512×1), rounded, as a fingerprint of its weights. */
const predictOne = (page: Page) =>
  page.evaluate(async () => {
    const image = new Array(512 * 512).fill(0.5);
    const [output] = await (window as unknown as { gnetPlayground: { predict(i: number[][]): Promise<{ values: Float32Array }[]> } }).gnetPlayground.predict([image]);
    return Array.from(output!.values.slice(0, 16), (v) => Number(v.toFixed(6)));
  });

test.run();
