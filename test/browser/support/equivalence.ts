/**
 * Cross-backend equivalence in the browser: the page, built from the every-block fixtures, runs the
 * given networks on Chromium's WebGPU while Node computes them on the cpu backend from the same
 * seeds; outputs, gradients and ten-step losses must agree. Split over test files by network, so
 * each file stays short on a software GPU.
 */
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuBackend } from '../../../backends/cpu.js';
import { cpuRuns, differences, STEPS, type Run } from '../../webgpu/support/equivalence.js';
import { compileNetworks, EVERY_BLOCK_SPEC } from '../../webgpu/support/models.js';
import { buildPage, chromiumMissing, launchBrowser, letBrowserStart, serve, type Browser } from './browser.js';

interface PlainRun {
  readonly outputs: Record<string, number[]>;
  readonly gradients: Record<string, number[]>;
  readonly losses: number[];
}

type Gnet = { networks: string[]; compare(network: string, steps: number): Promise<PlainRun> };

const typed = (record: Record<string, number[]>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Float32Array.from(v)]));

/** The fixtures' networks, grouped by test file (equivalence-segmenter, equivalence-classifier). */
export const BROWSER_GROUPS = [['Segmenter'], ['Classifier', 'Twins']] as const;

export function browserEquivalence(names: readonly string[]): void {
  const missing = chromiumMissing();
  if (missing !== undefined) console.log(`skipping the browser tests: ${missing}`);
  let dir: string | undefined;
  let server: { origin: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;

  test.before(async () => {
    if (missing !== undefined) return;
    dir = (await buildPage(EVERY_BLOCK_SPEC)).dir;
    server = await serve(dir);
    browser = await launchBrowser();
    await browser.open(`${server.origin}/?steps=0`);
  });

  test.after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await cpuBackend.release();
  });

  (missing === undefined ? test : test.skip)(`${names.join(', ')}: Chromium's WebGPU matches cpu in outputs, gradients and ten Adam steps`, async () => {
    const { page } = browser!;
    assert.is(await page.getAttribute('#status', 'data-state'), 'done', (await page.textContent('#status')) ?? '');
    const inPage = page.evaluate(
      async ([all, steps]) => {
        const { gnet } = window as unknown as { gnet: Gnet };
        const runs: Record<string, PlainRun> = {};
        for (const name of all) runs[name] = await gnet.compare(name, steps);
        return runs;
      },
      [names, STEPS] as const,
    );
    await letBrowserStart();
    const all = await compileNetworks();
    assert.equal(BROWSER_GROUPS.flat().sort(), all.map((n) => n.name).sort(), 'the groups hold every fixture network once');
    const networks = all.filter((n) => names.includes(n.name));
    const reference = await cpuRuns(networks);
    const runs = await inPage;
    const problems = names.flatMap((name) => {
      const plain = runs[name]!;
      const run: Run = { pass: { outputs: typed(plain.outputs), gradients: typed(plain.gradients) }, losses: plain.losses };
      return differences(name, run, reference.get(name)!);
    });
    assert.equal(problems, [], `Chromium's WebGPU differs from cpu:\n${problems.join('\n')}`);
    assert.equal(browser!.console.filter((m) => /^(error|pageerror)/.test(m)), []);
  });
}
