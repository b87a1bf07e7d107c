/**
 * The playground through Chromium's own accessibility tree (CDP Accessibility.getFullAXTree), as a
 * screen reader gets it: the editor and every picker have a name, charts and kernels are images
 * with a text alternative, fold buttons say whether they are expanded, status lines are live
 * regions, a field's error is its description and marks it invalid, problems act on Enter, the tabs
 * are tabs, and the focus never falls to the page's body when Train, Stop or Continue is pressed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CDPSession, Page } from 'playwright-core';
import { fillTraining, openLink, runEnded, showTab, SMALL_GAUSS_UNET } from './support/playground-page.js';
import { usePlaygroundSite } from './support/playground-site.js';

const { browserTest, site, browser } = usePlaygroundSite();

interface AXValue {
  readonly value?: unknown;
}
interface AXNode {
  readonly ignored: boolean;
  readonly role?: AXValue;
  readonly name?: AXValue;
  readonly description?: AXValue;
  readonly properties?: readonly { readonly name: string; readonly value: AXValue }[];
  readonly backendDOMNodeId?: number;
}

/** What Chromium's accessibility tree says about the elements `selector` matches: role, name, description, states. */
async function accessible(page: Page, selector: string): Promise<{ role: string; name: string; description: string; states: Record<string, unknown> }[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
    assert.ok(nodeIds.length > 0, `nothing matches ${selector}`);
    const found = [];
    for (const nodeId of nodeIds) {
      const { node } = await cdp.send('DOM.describeNode', { nodeId });
      const ax = nodes.find((n) => n.backendDOMNodeId === node.backendNodeId && !n.ignored);
      assert.ok(ax, `${selector} is not in the accessibility tree`);
      found.push({
        role: String(ax!.role?.value ?? ''),
        name: String(ax!.name?.value ?? ''),
        description: String(ax!.description?.value ?? ''),
        states: Object.fromEntries((ax!.properties ?? []).map((p) => [p.name, p.value.value])),
      });
    }
    return found;
  } finally {
    await cdp.detach();
  }
}

const one = async (page: Page, selector: string) => (await accessible(page, selector))[0]!;
const focusedTag = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName}#${document.activeElement?.id}`);

browserTest('the editor, the network pickers and the training pickers have names; the tabs are tabs', async () => {
  const { page } = browser();
  await openLink(page, site().origin, 'gauss-unet.gnet', SMALL_GAUSS_UNET);
  await showTab(page, 'report');
  const editor = await one(page, '.cm-content');
  assert.equal([editor.role, editor.name], ['textbox', 'Spec editor: gauss-unet.gnet']);
  const named = async (pairs: readonly (readonly [string, string])[]) => {
    for (const [selector, name] of pairs) assert.is((await one(page, selector)).name, name, selector);
  };
  await named([['#network', 'network'], ['#compare-a', 'first network to compare'], ['#compare-b', 'second network to compare']]);
  await showTab(page, 'train');
  await named([['#data-source', 'data'], ['#train-backend-choice', 'backend'], ['#train-epochs', 'epochs'], ['#model-file', 'Load model…']]);
  await showTab(page, 'report');
  const tabs = await accessible(page, '[role="tab"]');
  assert.equal(tabs.map((t) => [t.role, t.name, t.states.selected]), [['tab', 'Report', true], ['tab', 'Graph', false], ['tab', 'Train', false]]);
  // Arrow keys move between the tabs.
  await page.focus('#tab-report');
  await page.keyboard.press('ArrowRight');
  assert.is(await focusedTag(page), 'BUTTON#tab-graph');
  assert.ok(await page.isVisible('#graph-panel'));
  const box = await one(page, '#graph button.graph-box[data-name="e2"]');
  assert.equal([box.role, box.name], ['button', 'e2 2 gauss, 2 batchnorm, 2 relu, … → 8×8×16']);
  assert.match(box.description, /^e2: .*; reads e1 \(16×16×8\); click to go to its line$/);
});

browserTest('fold buttons say whether their rows are expanded; status lines are live regions', async () => {
  const { page } = browser();
  await showTab(page, 'report');
  const before = await one(page, 'tr[data-name="e1"] button.fold');
  assert.equal([before.role, before.states.expanded], ['button', true]);
  await page.click('tr[data-name="e1"] button.fold');
  assert.is((await one(page, 'tr[data-name="e1"] button.fold')).states.expanded, false);
  assert.is(await focusedTag(page), 'BUTTON#', 'the redrawn fold button keeps the focus');
  const table = await one(page, '.table-scroll');
  assert.equal([table.role, table.name], ['region', 'report table of GaussUNet']);
  await showTab(page, 'train');
  // Lines that are empty for now are not in the tree; with text they are.
  await page.selectOption('#data-source', 'idx');
  for (const selector of ['#status', '#train-status', '#model-status', '#data-summary']) {
    const line = await one(page, selector);
    assert.equal([line.role, line.states.live], ['status', 'polite'], selector);
  }
  await page.selectOption('#data-source', 'cells');
});

browserTest('a bad field is invalid and described by its message; a problem acts on Enter', async () => {
  const { page } = browser();
  await showTab(page, 'train');
  await page.fill('#train-batch', '0');
  const batch = await one(page, '#train-batch');
  assert.equal([batch.name, batch.description, batch.states.invalid], ['batch', 'the batch size must be at least 1, not 0', 'true']);
  await page.fill('#train-batch', '2');
  const fixed = await one(page, '#train-batch');
  assert.equal([fixed.description, fixed.states.invalid ?? 'false'], ['', 'false']);

  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nnetwork Broken {\n  input x: 8 x 8 x 1\n  output y = x -> conv(4, 3) -> rel\n}\n');
  await page.waitForSelector('#problems li.problem');
  // The cursor elsewhere first, so the selection is the Enter's doing.
  await page.keyboard.press('Control+Home');
  await page.focus('#problems li.problem');
  await page.keyboard.press('Enter');
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')), 'the editor has the focus');
  const selected = await page.evaluate(() => window.getSelection()?.toString());
  assert.is(selected, 'rel', 'the error is selected');
  await page.keyboard.press('Control+z');
  await page.waitForSelector('#status[data-state="ok"]');
});

browserTest('the focus stays on the controls through Train, Stop and Continue; charts and kernels are images with text', async () => {
  const { page } = browser();
  await showTab(page, 'train');
  await page.selectOption('#train-backend-choice', 'wasm');
  await page.selectOption('#data-source', 'cells');
  await fillTraining(page, { epochs: '100', batch: '2', lr: '0.01', samples: '4' });
  await page.click('#train-start');
  await page.waitForFunction(() => /^step [2-9]/.test(document.querySelector('#train-progress')?.textContent ?? ''), undefined, { timeout: 120_000 });
  assert.is(await focusedTag(page), 'BUTTON#train-start', 'Train keeps the focus while its run goes on');
  assert.is((await one(page, '#train-start')).states.disabled, true, 'and says it is unavailable');
  await page.click('#train-stop');
  await page.waitForSelector('#train-status[data-state="paused"]');
  assert.is.not(await focusedTag(page), 'BODY#');
  assert.match(await focusedTag(page), /^BUTTON#train-(continue|abort)$/);
  await page.click('#train-continue');
  await page.waitForSelector('#train-status[data-state="training"]');
  assert.is(await focusedTag(page), 'BUTTON#train-stop', 'Continue gives the focus to Stop');
  await page.click('#train-abort');
  await runEnded(page);
  assert.is.not(await focusedTag(page), 'BODY#');

  for (const [chart, caption] of [['#loss-chart svg', '#loss-caption'], ['#metric-chart svg', '#metric-caption']]) {
    const image = await one(page, chart);
    assert.equal([image.role, image.name], ['image', await page.textContent(caption)]);
    assert.match(image.name, /^(Loss|Accuracy|Miou): training [\d.]+ .*at step \d+ of 200/);
  }
  const kernels = await accessible(page, '#train-kernels canvas');
  assert.ok(kernels.length > 0 && kernels.every((k) => k.role === 'image' && /kernels of 5×5/.test(k.name)), JSON.stringify(kernels));
  const masks = await accessible(page, '#train-predictions canvas');
  assert.ok(masks.some((m) => m.name === 'image 1: predicted mask'), JSON.stringify(masks.map((m) => m.name)));
});

browserTest('the question before discarding work is a modal dialog with a name, and Escape cancels it', async () => {
  const { page } = browser();
  await page.click('#train-reset');
  await page.waitForSelector('#confirm[open]');
  const dialog = await one(page, '#confirm');
  assert.equal([dialog.role, dialog.states.modal], ['dialog', true]);
  assert.match(dialog.name, /^Reset drops the current model/);
  assert.is(await focusedTag(page), 'BUTTON#confirm-no', 'the safe answer has the focus');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
  assert.is(await focusedTag(page), 'BUTTON#train-reset');
  assert.ok(await page.isEnabled('#model-download'), 'nothing was reset');
  assert.equal(browser().console.filter((m) => /^(error|pageerror)/.test(m)), []);
});

test.run();
