/**
 * The editor's hover, headless Chromium: over a block call of gauss-unet.gnet it shows the call's
 * output shape and its trainable and non-trainable parameters — the figures the language server's
 * hover gives for the same place in Node — and over a built-in call the built-in's own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { fileHost } from '../../cli/host.js';
import { analyzeFile } from '../../lsp/analysis.js';
import { hover } from '../../lsp/features/hover.js';
import { hoverWord } from './support/playground-page.js';
import { ARTIFACTS, ROOT, usePlaygroundSite } from './support/playground-site.js';

const { browserTest, site, browser } = usePlaygroundSite();
const SPEC = join(ROOT, 'specs/gauss-unet.gnet');
const TEXT = readFileSync(SPEC, 'utf8');

/** The language server's hover lines for the offset of `needle` (plus `into`) in the spec, in Node. */
function serverFigures(needle: string, into: number): string[] {
  const file = analyzeFile(SPEC, fileHost, () => undefined);
  const result = hover(file, TEXT.indexOf(needle) + into, () => undefined);
  const lines = (result?.contents as { value: string } | undefined)?.value.split('\n') ?? [];
  return lines.filter((l) => /^- (output shape|trainable parameters|non-trainable parameters):/.test(l)).map((l) => l.slice(2).replace(/\*\*/g, ''));
}

/** The hover card's text over `word` in the first editor line holding `line`. */
async function hoverOver(page: Page, line: string, word: string): Promise<string> {
  await hoverWord(page, line, word);
  return (await page.locator('.cm-tooltip-hover .block-hover').innerText()).replace(/\s+/g, ' ');
}

browserTest('hovering a block call shows its output shape and parameters, as the language server says', async () => {
  const { page } = browser();
  await page.goto(`${site().origin}/`);
  await page.click('#examples button[data-path="/specs/gauss-unet.gnet"]');
  await page.waitForSelector('#status[data-state="ok"]');

  const user = await hoverOver(page, 'e2 = e1 -> maxpool(2) -> stage(base * 2)', 'stage');
  const expected = serverFigures('e2 = e1 -> maxpool(2) -> stage(base * 2)', 'e2 = e1 -> maxpool(2) -> '.length + 1);
  assert.is(expected.length, 3, 'the server gives shape and both parameter counts');
  assert.match(expected[0]!, /^output shape: 64\s*×\s*64\s*×\s*16$/);
  for (const figure of expected) assert.ok(user.includes(figure), `the hover shows “${figure}”: ${user}`);
  assert.match(user, /stage\(maps, layer = "gauss"\)/, 'with the block signature');
  await page.screenshot({ path: join(ARTIFACTS, 'playground-hover.png') });

  await page.mouse.move(0, 0);
  const builtin = await hoverOver(page, 'output mask = d1 -> conv(classes, 1) -> softmax', 'conv');
  for (const figure of serverFigures('output mask = d1 -> conv(classes, 1)', 'output mask = d1 -> '.length + 1)) assert.ok(builtin.includes(figure), `the hover shows “${figure}”: ${builtin}`);
  assert.match(builtin, /trainable parameters: 18\b/, '1×1 conv, 8 → 2 maps with bias: 18 weights');
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

test.run();
