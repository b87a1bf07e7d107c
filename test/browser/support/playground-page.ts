/**
 * What the playground tests do to the page again and again: open a spec through a shared link, show a
 * tab, wait for a run to end, read the losses, fill the training fields.
 */
import { deflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { specResized } from '../../specs/files.js';

/** The link the page makes for a spec (saved-spec.ts): deflate-raw, base64url. */
export const link = (file: string, text: string) => `#file=${file}&code=${deflateRawSync(Buffer.from(text)).toString('base64url')}`;

/** specs/gauss-unet.gnet at 16×16 (its two poolings leave 4×4): a few steps take seconds on wasm and on software WebGPU. */
export const SMALL_GAUSS_UNET = specResized('specs/gauss-unet.gnet', '128 x 128 x 3', '16 x 16 x 3');

/** Opens the page on `text` as a shared link would (a full load, never a same-page hash change), once it has compiled. */
export async function openLink(page: Page, origin: string, file: string, text: string, query = ''): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${origin}/${query}${link(file, text)}`);
  await page.waitForSelector('#status[data-state="ok"], #status[data-state="errors"]');
}

export async function showTab(page: Page, tab: 'report' | 'graph' | 'train'): Promise<void> {
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`#${tab}-panel:not([hidden])`);
}

export async function fillTraining(page: Page, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) await page.fill(`#train-${field}`, value);
}

/** Waits for the run to end (done or failed); on a timeout says where it stood. */
export async function runEnded(page: Page, timeout = 300_000): Promise<void> {
  try {
    await page.waitForSelector('#train-status[data-state="done"], #train-status[data-state="failed"]', { timeout });
  } catch (error) {
    throw new Error(`the run did not end: status “${await page.textContent('#train-status')}”, data error “${await page.textContent('#data-error')}”`, { cause: error });
  }
}

export const stepLosses = (page: Page) => page.evaluate(() => (window as unknown as { gnetPlayground: { losses(): number[] } }).gnetPlayground.losses());
export const editorText = (page: Page) => page.evaluate(() => (window as unknown as { gnetPlayground: { text(): string } }).gnetPlayground.text());

/** The confirmation dialog's question, answered with its confirm button (`yes`) or Cancel. */
export async function answerDialog(page: Page, yes: boolean): Promise<string> {
  await page.waitForSelector('#confirm[open]');
  const question = (await page.textContent('#confirm-text')) ?? '';
  await page.click(yes ? '#confirm-yes' : '#confirm-no');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
  return question;
}

/**
 * Moves the pointer onto the first characters of `word` in the first editor line holding `line`
 * (scrolled into view, lines shown from their start) and waits for the hover card.
 */
export async function hoverWord(page: Page, line: string, word: string): Promise<void> {
  const at = await page.evaluate(([lineText, wordText]) => {
    const row = Array.from(document.querySelectorAll('.cm-line')).find((l) => l.textContent?.includes(lineText))!;
    row.scrollIntoView({ block: 'center' });
    document.querySelector('.cm-scroller')!.scrollLeft = 0;
    const target = row.textContent!.indexOf(lineText) + lineText.indexOf(wordText);
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent!.length;
      if (seen + length > target) {
        const range = document.createRange();
        range.setStart(node, target - seen);
        range.setEnd(node, Math.min(length, target - seen + 2));
        const box = range.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
      seen += length;
    }
    throw new Error(`no ${wordText} in the editor`);
  }, [line, word] as const);
  await page.mouse.move(at.x, at.y);
  await page.locator('.cm-tooltip-hover .block-hover').waitFor({ timeout: 20_000 });
}
