/**
 * The playground's layout at 800, 1280 and 1920 px wide (800 high), headless Chromium: nothing
 * spills sideways out of the page; from 1000 px the editor and the tabs sit side by side and the page
 * fits the window (each column scrolls inside itself, the report table in its own box), with Train
 * and the charts in view; below 1000 px they stack. Charts fit their boxes and the hover card its
 * window. Screenshots of every tab at every width go to test-artifacts/ (git-ignored) for review.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { fillTraining, hoverWord, openLink, runEnded, showTab } from './support/playground-page.js';
import { ARTIFACTS, usePlaygroundSite } from './support/playground-site.js';
import { specResized } from '../specs/files.js';

const { browserTest, site, browser } = usePlaygroundSite();
const HEIGHT = 800;
/** GaussUNet at 64×64: a short run on wasm fills the charts. */
const GAUSS_UNET_64 = specResized('specs/gauss-unet.gnet', '128 x 128 x 3', '64 x 64 x 3');

const rect = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);

browserTest('a trained GaussUNet for the screenshots', async () => {
  const { page } = browser();
  await page.setViewportSize({ width: 1280, height: HEIGHT });
  await openLink(page, site().origin, 'gauss-unet.gnet', GAUSS_UNET_64, '?backend=wasm');
  await showTab(page, 'train');
  await page.selectOption('#data-source', 'cells');
  await fillTraining(page, { epochs: '3', batch: '4', lr: '0.01', samples: '16' });
  await page.click('#train-start');
  await runEnded(page);
  assert.is(await page.getAttribute('#train-status', 'data-state'), 'done', (await page.textContent('#train-status')) ?? '');
});

for (const width of [800, 1280, 1920]) {
  browserTest(`${width} px: nothing spills sideways; ${width < 1000 ? 'the columns stack' : 'side by side, the page fits the window with Train and the charts in view'}; charts and the hover card fit`, async () => {
    const { page } = browser();
    await page.setViewportSize({ width, height: HEIGHT });
    await showTab(page, 'report');
    await page.click('text=Unfold all');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.is(overflow, 0, 'no sideways scrolling of the page');
    const [editor, side, table] = [await rect(page, '#editor'), await rect(page, '#side-panel'), await rect(page, '.table-scroll')];
    assert.ok(table.right <= width + 0.5, `the table's box ends at ${table.right}`);
    const scroller = await page.locator('.table-scroll').evaluate((el) => ({ wide: el.scrollWidth > el.clientWidth, tall: el.scrollHeight > el.clientHeight, overflow: getComputedStyle(el).overflow }));
    assert.ok(scroller.tall, 'the unfolded table scrolls inside its box');
    assert.is(scroller.overflow, 'auto');
    if (width < 1000) {
      assert.ok(side.top >= editor.bottom, 'stacked: the tabs below the editor');
    } else {
      assert.ok(side.left >= editor.right, 'side by side');
      assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1), 'the page fits the window');
    }
    await page.screenshot({ path: join(ARTIFACTS, `playground-layout-${width}-report.png`) });

    await showTab(page, 'train');
    for (const chart of ['#loss-chart', '#metric-chart']) {
      const [box, svg] = [await rect(page, chart), await rect(page, `${chart} svg`)];
      assert.ok(svg.width > 100 && svg.width <= box.width + 0.5 && svg.right <= width, `${chart}: ${svg.width} px in a ${box.width} px box`);
    }
    if (width >= 1000) {
      assert.ok((await rect(page, '#train-start')).bottom <= HEIGHT, 'Train in view');
      assert.ok((await rect(page, '#loss-chart')).bottom <= HEIGHT, 'the charts in view');
    }
    await page.screenshot({ path: join(ARTIFACTS, `playground-layout-${width}-train.png`) });
    await showTab(page, 'graph');
    await page.waitForSelector('#graph button.graph-box');
    assert.ok((await rect(page, '#graph svg')).right <= width, 'the graph fits the width');
    await page.screenshot({ path: join(ARTIFACTS, `playground-layout-${width}-graph.png`) });

    await hoverWord(page, 'd1 = d2 -> up(e1, base)', 'up(');
    const card = await rect(page, '.cm-tooltip-hover');
    const editorBox = await rect(page, '.cm-editor');
    assert.ok(card.left >= editorBox.left - 0.5 && card.right <= editorBox.right + 0.5 && card.top >= 0 && card.bottom <= HEIGHT, `the hover card over the editor, inside the window: ${JSON.stringify(card)} in ${JSON.stringify(editorBox)}`);
    const fits = await page.locator('.cm-tooltip-hover').evaluate((el) => el.scrollHeight <= el.clientHeight + 1 || getComputedStyle(el).overflowY === 'auto');
    assert.ok(fits, 'its content fits it, or scrolls inside it');
    const content = await rect(page, '.cm-tooltip-hover .block-hover');
    assert.ok(content.width <= card.width + 0.5, 'no text sticks out sideways');
    await page.screenshot({ path: join(ARTIFACTS, `playground-layout-${width}-hover.png`) });
    await page.mouse.move(0, 0);
  });
}

test.run();
