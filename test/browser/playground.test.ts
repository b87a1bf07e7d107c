/**
 * The playground in headless Chromium: typing an error shows its diagnostic (underlined and listed),
 * fixing it refreshes the report with the totals `gnet report --format json` prints for the same
 * text, the network picker and the side-by-side comparison follow the file, an example with imports
 * compiles from the bundle, and the spec survives a trip through the URL hash and local storage. A
 * failing budget is an error, yet the report shows the new numbers with the budget marked; edits
 * are kept per file, across reloads, and replaced only after a question (or one Undo away).
 * The page is built into a temporary folder and served by `gnet playground`'s server. Screenshots go
 * to test-artifacts/ (git-ignored).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { cliReports, type CliReport, type Totals } from './support/cli-report.js';
import { answerDialog, link, showTab } from './support/playground-page.js';
import { ARTIFACTS, ROOT, usePlaygroundSite } from './support/playground-site.js';

const GAUSS_UNET = readFileSync(join(ROOT, 'specs/gauss-unet.gnet'), 'utf8');
/** Typed after the bundled GaussUNet file: a third network whose last block name is one letter short. */
const TYPED = 'network Tiny {\n  input x: 8 x 8 x 1\n  output y = x -> conv(4, 3) -> rel\n}\n';
/** The same network with the name mended (typed at the end of its output line). */
const FIXED = TYPED.replace('-> rel\n', '-> relu\n');

const { browserTest, site, browser } = usePlaygroundSite();

const editorText = (page: Page) => page.evaluate(() => (window as unknown as { gnetPlayground: { text(): string } }).gnetPlayground.text());

async function waitForStatus(page: Page, state: 'ok' | 'errors'): Promise<string> {
  await page.waitForSelector(`#status[data-state="${state}"]`, { timeout: 30_000 });
  return (await page.textContent('#status')) ?? '';
}

async function pageTotals(page: Page): Promise<Totals> {
  const data = await page.locator('#totals').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  return { trainable: Number(data.trainable), nonTrainable: Number(data.nonTrainable), macs: Number(data.macs), activationBytes: Number(data.activationBytes) };
}

/** The picked network's report equals the CLI's: totals, budget verdicts and, unfolded, one table row per block. */
async function assertReportMatches(page: Page, want: CliReport): Promise<void> {
  await page.waitForFunction((name) => document.querySelector('.report-header')?.textContent?.includes(`network ${name}:`), want.network);
  assert.equal(await pageTotals(page), want.totals, `totals of ${want.network}`);
  assert.equal(await page.locator('#budgets li').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.status)), want.budgets.map((b) => b.status));
  await page.click('text=Unfold all');
  const nodes = await page.locator('#report-table tbody tr.node').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name));
  assert.equal(nodes, want.blocks.map((b) => b.name), `table rows of ${want.network}`);
}

browserTest('a typed error is underlined and listed with its code and help; the fix brings the report of `gnet report --format json`', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await waitForStatus(page, 'ok');
  assert.is(await editorText(page), GAUSS_UNET, 'a first visit opens specs/gauss-unet.gnet');

  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(TYPED);
  const status = await waitForStatus(page, 'errors');
  assert.match(status, /1 error/);
  const problems = await page.locator('#problems li').allTextContents();
  assert.ok(problems.some((p) => p.includes('error[GN0101]: unknown block or value `rel`') && p.includes('help: did you mean `relu`?')), problems.join('\n'));
  assert.is(await page.locator('.cm-lintRange-error').first().textContent(), 'rel', 'the unknown name is underlined');
  await page.locator('.cm-lintRange-error').first().hover();
  await page.waitForSelector('.cm-tooltip-lint');
  assert.match((await page.textContent('.cm-tooltip-lint')) ?? '', /GN0101.*did you mean `relu`\?/s);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-error.png') });

  await page.keyboard.press('Control+End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.insertText('u');
  await waitForStatus(page, 'ok');
  assert.is(await page.locator('#problems li').count(), 0);
  const text = await editorText(page);
  assert.is(text, GAUSS_UNET + FIXED);
  const want = cliReports(text);
  assert.equal(want.map((r) => r.network), ['GaussUNet', 'UNet5x5', 'Tiny']);
  assert.equal(await page.locator('#network option').allTextContents(), ['GaussUNet', 'UNet5x5', 'Tiny']);
  await assertReportMatches(page, want[0]!);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-report.png'), fullPage: true });
});

browserTest('the network picker switches the report; two networks compare side by side', async () => {
  const { page } = browser();
  const want = cliReports(await editorText(page));
  for (const report of [want[1]!, want[2]!, want[0]!]) {
    await page.selectOption('#network', report.network);
    await assertReportMatches(page, report);
  }
  assert.ok(await page.isVisible('#compare-panel'));
  const header = await page.locator('#comparison-table thead th').allTextContents();
  assert.equal(header, ['', 'GaussUNet', 'UNet5x5']);
  const trainable = await page.locator('#comparison-table tr', { hasText: 'Trainable' }).first().locator('td').allTextContents();
  assert.equal(trainable, [want[0]!, want[1]!].map((r) => r.totals.trainable.toLocaleString('en-US').replace(/,/g, ' ')));
  await page.selectOption('#compare-b', 'Tiny');
  await page.waitForFunction(() => document.querySelector('#comparison-table thead')?.textContent?.includes('Tiny'));
  await page.screenshot({ path: join(ARTIFACTS, 'playground-compare.png'), fullPage: true });
});

browserTest('the spec round-trips through the URL hash, and local storage keeps the last one', async () => {
  const { page } = browser();
  const edited = await editorText(page);
  await page.waitForSelector('#status[data-saved="true"]');
  const link = page.url();
  assert.match(link, /#file=gauss-unet\.gnet&code=/);

  // Another example, one click away; it imports a second bundled file.
  await page.click('#examples button[data-path="/specs/examples/imports.gnet"]');
  await waitForStatus(page, 'ok');
  assert.is(await page.locator('#problems li').count(), 0);
  await page.waitForSelector('#status[data-saved="true"]');

  const second = await page.context().newPage();
  try {
    await second.goto(`${site().origin}/`);
    await waitForStatus(second, 'ok');
    assert.is(await second.textContent('#file-name'), 'examples/imports.gnet', 'without a hash the last edited spec comes back');
    assert.is(await editorText(second), readFileSync(join(ROOT, 'specs/examples/imports.gnet'), 'utf8'));
    await second.goto(link);
    await waitForStatus(second, 'ok');
    assert.is(await editorText(second), edited, 'the link opens the text it was made from, not the stored one');
    assert.is(await second.textContent('#file-name'), 'gauss-unet.gnet');
  } finally {
    await second.close();
  }
});

browserTest('a failing budget is an error, and the report shows the new numbers with the budget marked failing', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await waitForStatus(page, 'ok');
  await showTab(page, 'report');
  await page.selectOption('#network', 'GaussUNet');
  for (const base of [16, 24]) {
    const text = GAUSS_UNET.replace('network GaussUNet(base = 8', `network GaussUNet(base = ${base}`);
    await page.evaluate((hash) => (location.hash = hash), link('gauss-unet.gnet', text));
    const want = cliReports(text)[0]!;
    assert.equal(want.budgets.map((b) => b.status), ['fail', 'pass', 'pass'], `base ${base}: over the 30k parameters`);
    await page.waitForFunction((trainable) => document.querySelector('#totals')?.getAttribute('data-trainable') === String(trainable), want.totals.trainable);
    assert.match(await waitForStatus(page, 'errors'), /^1 error \(GN\d{4}: .*budget.*\); the report shows this text/);
    assert.is(await page.getAttribute('#report-panel', 'data-stale'), 'false', 'not greyed: these are the numbers of the text');
    assert.equal(await pageTotals(page), want.totals);
    assert.equal(await page.locator('#budgets li').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.status)), ['fail', 'pass', 'pass']);
    assert.match((await page.textContent('#budgets li.fail')) ?? '', /^✗ budget params <= 30 000: /);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'playground-budget.png') });
});

browserTest('edits are kept per file and across a reload; Reset file asks first; a link replaces an edited file one Undo away', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await page.click('#reset').catch(() => undefined);
  if (await page.isVisible('#confirm[open]')) await answerDialog(page, true);
  await waitForStatus(page, 'ok');
  const original = await editorText(page);
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('// my edit\n');
  await page.waitForSelector('#status[data-saved="true"]');
  assert.is(await page.getAttribute('#examples button[data-path="/specs/gauss-unet.gnet"]', 'data-edited'), 'true');
  assert.is(await page.getAttribute('#file-name', 'data-edited'), 'true');

  await page.click('#examples button[data-path="/specs/unet.gnet"]');
  await waitForStatus(page, 'ok');
  assert.is(await editorText(page), readFileSync(join(ROOT, 'specs/unet.gnet'), 'utf8'), 'another example opens as bundled, without asking');
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  assert.is(await editorText(page), `${original}// my edit\n`, 'and the edits of the first are still there');

  await page.goto('about:blank');
  await page.goto(`${site().origin}/`);
  await waitForStatus(page, 'ok');
  await page.click('#examples button[data-path="/specs/unet.gnet"]');
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  assert.is(await editorText(page), `${original}// my edit\n`, 'kept across a reload');

  await page.click('#reset');
  assert.is(await answerDialog(page, false), 'Discard your edits of gauss-unet.gnet and put back the bundled text? (Undo in the editor brings them back.)');
  assert.is(await editorText(page), `${original}// my edit\n`, 'cancelled: nothing changed');
  await page.click('#reset');
  await answerDialog(page, true);
  assert.is(await editorText(page), original);
  assert.is(await page.getAttribute('#file-name', 'data-edited'), 'false');
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  assert.is(await editorText(page), `${original}// my edit\n`, 'Undo brings the edits back');

  // A shared link with another text for the same file: its text opens, the edits one Undo away.
  await page.goto('about:blank');
  await page.goto(`${site().origin}/${link('gauss-unet.gnet', 'network Linked {\n  input x: 8 x 8 x 1\n  output y = x -> relu\n}\n')}`);
  await waitForStatus(page, 'ok');
  assert.match(await editorText(page), /^network Linked/);
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  assert.is(await editorText(page), `${original}// my edit\n`);
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

test.run();
