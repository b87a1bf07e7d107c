/**
 * The training controls of the playground, headless Chromium, GaussUNet at 16×16 on synthetic cells:
 * Train refuses while the editor shows errors (GN0963, naming them); the automatic backend passes
 * over a software WebGPU adapter for wasm and says so; a run shows images/s and time left, charts
 * with axes, epoch markers and validation curves; Abort ends a run and keeps its model (its zip
 * carries log.jsonl), Reset drops it; leaving or switching files during a run asks first; the
 * settings survive a reload; a first step that takes long on WebGPU brings the offer to switch to
 * wasm. Screenshots go to test-artifacts/ (git-ignored).
 */
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { answerDialog, editorText, fillTraining, openLink, runEnded, showTab, SMALL_GAUSS_UNET, stepLosses } from './support/playground-page.js';
import { ARTIFACTS, usePlaygroundSite } from './support/playground-site.js';

const { browserTest, site, browser } = usePlaygroundSite();
const errorsInConsole = () => browser().console.filter((m) => /^(error|pageerror)/.test(m));

async function openSmallUNet(page: Page): Promise<void> {
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET);
  await showTab(page, 'train');
  await page.selectOption('#train-backend-choice', 'auto');
  await page.selectOption('#data-source', 'cells');
}

/** Starts a run long enough to act on while it trains, and waits for its first steps. */
async function startLongRun(page: Page): Promise<void> {
  await fillTraining(page, { epochs: '200', batch: '2', lr: '0.01', samples: '8' });
  await page.click('#train-start');
  await page.waitForFunction(() => /^step [3-9]/.test(document.querySelector('#train-progress')?.textContent ?? ''), undefined, { timeout: 120_000 });
}

const leavingIsAsked = (page: Page) =>
  page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

browserTest('Train refuses while the editor shows errors and names them; fixed, it trains', async () => {
  const { page } = browser();
  await openSmallUNet(page);
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nnetwork Broken {\n  input x: 8 x 8 x 1\n  output y = x -> conv(4, 3) -> rel\n}\n');
  await page.waitForSelector('#status[data-state="errors"]');
  const line = (await editorText(page)).split('\n').findIndex((l) => l.endsWith('-> rel')) + 1;
  await page.click('#train-start');
  await page.waitForSelector('#train-status[data-state="invalid"]');
  assert.is(await page.textContent('#train-status'), `GN0963: the editor shows 1 error — line ${line}: unknown block or value \`rel\` (GN0101). Train trains the text in the editor: fix it first (see Problems).`);
  assert.is(await page.textContent('#train-backend'), '', 'no worker started');
  await page.screenshot({ path: join(ARTIFACTS, 'playground-refuses.png') });
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  await page.waitForSelector('#status[data-state="ok"]');
  await fillTraining(page, { epochs: '1', batch: '2', samples: '2' });
  await page.click('#train-start');
  await runEnded(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
});

browserTest('the automatic backend trains on wasm here and says why; progress shows images/s and time left; charts have axes, epoch markers and validation', async () => {
  const { page } = browser();
  await openSmallUNet(page);
  await fillTraining(page, { epochs: '3', batch: '2', lr: '0.01', samples: '8' });
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { progressSeen: seen });
    const line = document.querySelector('#train-progress')!;
    new MutationObserver(() => seen.push(line.textContent ?? '')).observe(line, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#train-start');
  await runEnded(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
  const backend = (await page.textContent('#train-backend')) ?? '';
  assert.is(await page.getAttribute('#train-backend', 'data-backend'), 'wasm', backend);
  // Headless Chromium has only SwiftShader (software) or no WebGPU at all: either way wasm, and the page says which.
  assert.match(backend, /^wasm on the CPU — (WebGPU here is a software adapter \(.*swiftshader.*\), slower than wasm; choose WebGPU under backend to use it anyway|no WebGPU here \(.+\))$/i);
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  assert.ok(seen.some((p) => /^step \d+ \(epoch \d\): loss [\d.]+, \w+ [\d.]+ · [\d.]+ images\/s · (about \d+ (s|min) left|finishing)$/.test(p)), seen.join('\n'));
  assert.match((await page.textContent('#train-progress')) ?? '', /^step 12 \(epoch 3\): .* · [\d.]+ images\/s$/, 'at the end: the speed, no time left');

  const chart = (id: string) => page.locator(`#${id} svg`);
  for (const id of ['loss-chart', 'metric-chart']) {
    assert.is(await chart(id).getAttribute('role'), 'img');
    const caption = (await page.textContent(id === 'loss-chart' ? '#loss-caption' : '#metric-caption')) ?? '';
    assert.is(await chart(id).getAttribute('aria-label'), caption, 'the caption is the chart\'s accessible name');
    assert.match(caption, /at step 12 of 12, epoch 3 of 3.*; validation [\d.]+ after epoch 3\.$/);
    const texts = await chart(id).locator('text').allTextContents();
    assert.ok(['0', '2', '4', '6', '8', '10', '12'].every((t) => texts.includes(t)), `step ticks: ${texts.join(' ')}`);
    assert.ok(texts.includes('step') && texts.includes('epoch 1') && texts.includes('epoch 2'), 'axis label and epoch markers');
    assert.is(await chart(id).locator('line[stroke-dasharray]').count(), 2, 'a marker at the end of epochs 1 and 2');
    // The validation curve: one dot per epoch in the validation colour.
    assert.is(await chart(id).locator('circle[fill="#d62728"]').count(), 3);
    const box = await page.locator(`#${id}`).boundingBox();
    const svg = await chart(id).boundingBox();
    assert.ok(svg!.width <= box!.width + 0.5 && svg!.height <= box!.height + 0.5, `the chart fits its box: ${svg!.width}×${svg!.height} in ${box!.width}×${box!.height}`);
  }
  assert.is(await page.locator('#train-validation li').count(), 3);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-controls-charts.png') });
  assert.equal(errorsInConsole(), []);
});

browserTest('Abort ends a run and keeps its model (Download works, log.jsonl holds its epochs); Reset drops it', async () => {
  const { page } = browser();
  await openSmallUNet(page);
  await startLongRun(page);
  // Past the first epoch (4 steps), so the log has an epoch.
  await page.waitForFunction(() => /^step ([6-9]|\d\d)/.test(document.querySelector('#train-progress')?.textContent ?? ''), undefined, { timeout: 120_000 });
  assert.ok(await leavingIsAsked(page), 'leaving the page during a run asks first');
  await page.click('#train-abort');
  await runEnded(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done');
  const steps = (await stepLosses(page)).length;
  assert.ok(steps < 800, `${steps} of 800 steps`);
  assert.is(await page.textContent('#train-status'), `ended after step ${steps}, last loss ${(await stepLosses(page)).at(-1)!.toPrecision(4)}; the model as it is now can be downloaded or trained on`);
  assert.not.ok(await leavingIsAsked(page), 'no question once the run has ended');
  assert.ok(await page.isEnabled('#model-download'));
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('#model-download')]);
  const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const log = strFromU8(files['GaussUNet-playground/log.jsonl']!).trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; step: number; validation: unknown });
  // An epoch is logged once validated: a Stop that lands right after an epoch's last step leaves it unvalidated.
  const epochs = steps % 4 === 0 && log.length === steps / 4 - 1 ? steps / 4 - 1 : Math.floor(steps / 4);
  assert.equal(log.map((r) => [r.epoch, r.step]), Array.from({ length: epochs }, (_, i) => [i + 1, 4 * (i + 1)]), 'one line per finished epoch');
  assert.ok(log.every((r) => r.validation !== null), 'with validation');

  await page.click('#train-reset');
  assert.match(await answerDialog(page, true), /^Reset drops the current model; the next run starts from fresh weights/);
  await page.waitForFunction(() => (document.querySelector('#model-download') as HTMLButtonElement).disabled);
  assert.is(await page.textContent('#model-status'), 'no model: the next run starts from fresh weights');
  assert.not.ok(await page.isChecked('#train-from-model'));
  assert.match((await page.textContent('#loss-caption')) ?? '', /appears here while training/);
  assert.ok(await page.isDisabled('#train-reset'), 'nothing left to reset');
  assert.equal(errorsInConsole(), []);
});

browserTest('opening another example during a run asks; cancelled, the run goes on; confirmed, it ends first and keeps its model', async () => {
  const { page } = browser();
  await openSmallUNet(page);
  await startLongRun(page);
  await page.click('#examples button[data-path="/specs/unet.gnet"]');
  assert.match(await answerDialog(page, false), /^GaussUNet is training\. Opening unet\.gnet ends that run; the model as it is after the current step stays/);
  assert.is(await page.textContent('#file-name'), 'gauss-unet.gnet');
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'training');
  assert.is(await page.evaluate(() => document.activeElement?.getAttribute('data-path')), '/specs/unet.gnet', 'the focus goes back to the button');
  await page.click('#examples button[data-path="/specs/unet.gnet"]');
  await answerDialog(page, true);
  await page.waitForFunction(() => document.querySelector('#file-name')?.textContent === 'unet.gnet');
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done');
  assert.match((await page.textContent('#train-status')) ?? '', /^ended after step \d+/);
  assert.ok(await page.isEnabled('#model-download'), 'the run\'s model is kept');
  assert.equal(errorsInConsole(), []);
});

browserTest('the settings, the backend and the data source survive a reload; a field left at the spec\'s value follows the spec', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
  await showTab(page, 'train');
  await page.selectOption('#network', 'GaussUNet');
  await page.fill('#train-epochs', '3');
  await page.fill('#train-batch', '3');
  await page.selectOption('#train-backend-choice', 'wasm');
  await page.selectOption('#data-source', 'cells');
  // The page has stored the text (the address holds it) and the settings before the reload.
  await page.waitForSelector('#status[data-saved="true"]');
  const stored = await page.evaluate(() => [localStorage.getItem('gnet-playground-train'), localStorage.getItem('gnet-playground-data-source')]);
  assert.match(stored[0] ?? '', /"values":\{"epochs":"3","batch":"3",.*"backend":"wasm"/, stored[0] ?? 'nothing stored');
  assert.is(stored[1], 'cells');
  await page.reload();
  await page.waitForSelector('#status[data-state="ok"]');
  assert.ok(await page.isVisible('#train-panel'), 'the Train tab is still the one shown');
  const restored = [await page.inputValue('#train-epochs'), await page.inputValue('#train-batch'), await page.inputValue('#train-backend-choice'), await page.inputValue('#data-source')];
  assert.equal(restored, ['3', '3', 'wasm', 'cells'], `epochs, batch, backend and data source after the reload: ${restored.join(', ')} (file ${await page.textContent('#file-name')}, network ${await page.inputValue('#network')})`);
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET.replace('epochs = 3', 'epochs = 5'));
  await page.selectOption('#network', 'GaussUNet');
  await page.waitForFunction(() => (document.querySelector('#train-epochs') as HTMLInputElement).value === '5');
  assert.is(await page.inputValue('#train-batch'), '3', 'the batch the user set stays');
});

browserTest('a first step that takes long on WebGPU brings the offer to train on wasm, which ends that run at once and trains on wasm', async () => {
  const { page } = browser();
  const context = page.context();
  const worker = '**/train-worker.js';
  // A worker whose first WebGPU step never ends: what shaders compiling on a slow adapter look like from the page.
  const stuck = `onmessage = (event) => {
    if (event.data.kind !== 'start') return;
    postMessage({ kind: 'backend', backend: 'webgpu', adapter: 'a slow adapter (software adapter)' });
    postMessage({ kind: 'started', network: event.data.network, stepsPerEpoch: 1, epochs: 1, params: 1, batch: 2, images: 2 });
  };`;
  await context.route(worker, (route) => route.fulfill({ contentType: 'text/javascript', body: stuck }));
  try {
    await openSmallUNet(page);
    await page.selectOption('#train-backend-choice', 'webgpu');
    await fillTraining(page, { epochs: '1', batch: '2', lr: '0.01', samples: '2' });
    await page.click('#train-start');
    await page.waitForSelector('#train-status[data-state="training"]');
    assert.ok(await page.isHidden('#train-on-wasm'), 'no offer at first');
    await page.waitForSelector('#train-on-wasm:not([hidden])', { timeout: 60_000 });
    assert.is(await page.textContent('#train-on-wasm'), 'Slow on WebGPU here: train on wasm instead');
    await context.unroute(worker);
    await page.click('#train-on-wasm');
    await page.waitForSelector('#train-status[data-state="starting"], #train-status[data-state="training"], #train-status[data-state="done"]');
    await runEnded(page);
    assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
    assert.is(await page.textContent('#train-backend'), 'wasm on the CPU (chosen)');
    assert.is(await page.inputValue('#train-backend-choice'), 'wasm', 'the choice is wasm from now on');
    assert.is((await stepLosses(page)).length, 1);
  } finally {
    await context.unroute(worker);
  }
});

test.run();
