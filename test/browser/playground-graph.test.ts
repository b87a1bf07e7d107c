/**
 * The graph tab, headless Chromium: GaussUNet as its top-level blocks with the U-Net's two skips,
 * every arrow labelled with the shape `gnet report --format json` gives the value it carries; a box
 * (clicked, or Enter) puts the editor on its line; the deepest view has a box per block of the report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { cliReports } from './support/cli-report.js';
import { showTab } from './support/playground-page.js';
import { ARTIFACTS, ROOT, usePlaygroundSite } from './support/playground-site.js';

const { browserTest, site, browser } = usePlaygroundSite();
const TEXT = readFileSync(join(ROOT, 'specs/gauss-unet.gnet'), 'utf8');
const lineOf = (needle: string) => TEXT.slice(0, TEXT.indexOf(needle)).split('\n').length;

/** The line number CodeMirror shows beside the cursor's line. */
const cursorLine = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('.cm-activeLineGutter');
    return Number(active?.textContent);
  });

const edges = (page: Page) =>
  page.locator('#graph svg path[data-kind]').evaluateAll((paths) =>
    paths.map((p) => ({ from: Number((p as SVGElement).dataset.from), to: Number((p as SVGElement).dataset.to), kind: (p as SVGElement).dataset.kind!, label: p.nextElementSibling?.textContent ?? '' })),
  );

browserTest('GaussUNet as blocks and skips, the shapes on the arrows are the report\'s, and a box goes to its line', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');
  await page.selectOption('#network', 'GaussUNet');
  await showTab(page, 'graph');
  await page.waitForSelector('#graph button.graph-box');
  const names = await page.locator('#graph button.graph-box').evaluateAll((boxes) => boxes.map((b) => (b as HTMLElement).dataset.name));
  assert.equal(names, ['image', 'e1', 'e2', 'mid', 'd2', 'd1', 'mask']);
  assert.match((await page.textContent('#graph-summary')) ?? '', /^GaussUNet: 7 boxes, 2 skips;/);

  const [report] = cliReports(TEXT);
  // The value leaving a box is the output of its last block in the report.
  const shapeOf = (box: string) => report!.blocks.filter((b) => b.name === box || b.path[0] === box).at(-1)!.outputShape!.join('×');
  const drawn = await edges(page);
  assert.equal(drawn.map((e) => [names[e.from], names[e.to], e.kind, e.label]), [
    ['image', 'e1', 'next', shapeOf('image')],
    ['e1', 'e2', 'next', shapeOf('e1')],
    ['e2', 'mid', 'next', shapeOf('e2')],
    ['mid', 'd2', 'next', shapeOf('mid')],
    ['d2', 'd1', 'next', shapeOf('d2')],
    ['d1', 'mask', 'next', shapeOf('d1')],
    ['e2', 'd2', 'skip', shapeOf('e2')],
    ['e1', 'd1', 'skip', shapeOf('e1')],
  ]);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-graph.png') });

  await page.click('#graph button.graph-box[data-name="d2"]');
  assert.is(await cursorLine(page), lineOf('d2 = mid -> up(e2, base * 2)'));
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')), 'the editor has the focus');
  await page.focus('#graph button.graph-box[data-name="mid"]');
  await page.keyboard.press('Enter');
  assert.is(await cursorLine(page), lineOf('mid = e2 -> maxpool(2)'));

  await page.click('#graph-tools button:text("all nodes")');
  await page.waitForFunction((count) => document.querySelectorAll('#graph button.graph-box').length === count, report!.blocks.length);
  const deep = await page.locator('#graph button.graph-box').evaluateAll((boxes) => boxes.map((b) => (b as HTMLElement).dataset.name));
  assert.equal(deep, report!.blocks.map((b) => b.name), 'one box per block of the report, in its order');
  // A reload comes back to the graph tab, drawn.
  await page.reload();
  await page.waitForSelector('#graph button.graph-box', { timeout: 30_000 });
  assert.ok(await page.isVisible('#graph-panel'));
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

test.run();
