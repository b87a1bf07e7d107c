/**
 * The README's Neovim configurations, run in headless Neovim (Debian's 0.7; CI installs it) against
 * this checkout's `gnet lsp`: the 0.7 one through every check of nvim/check.lua (attach, hover,
 * completion, references, rename of a block and of `in`, GN0015, formatting); the 0.8 one with
 * nvim/shim-0.8.lua standing in for the 0.8 calls 0.7 lacks (attach and hover).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'gnet-nvim-'));
const spec = join(scratch, 'resnet50.gnet');
copyFileSync(join(root, 'specs', 'resnet50.gnet'), spec);

test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** The ```lua block that follows `heading` in the README. */
function snippet(heading: string): string {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has no "${heading}"`);
  return /```lua\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
}

/** Runs Neovim on the spec copy with `init` (the working directory is this checkout, as a user's project); the checks' results. */
function neovim(init: string, mode: 'full' | 'attach'): { name: string; ok: boolean; detail: string }[] {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.is(version.status, 0, 'nvim is not installed (CI installs Debian\'s neovim)');
  const initFile = join(scratch, `init-${mode}.lua`);
  const out = join(scratch, `results-${mode}.json`);
  writeFileSync(initFile, init);
  const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', initFile, '-c', `luafile ${join(root, 'test/lsp/nvim/check.lua')}`, spec], {
    cwd: root,
    env: { ...process.env, GNET_NVIM_OUT: out, GNET_NVIM_MODE: mode },
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.is(run.status, 0, `nvim: ${run.stderr}${run.stdout}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

test('the Neovim 0.7 configuration: every check passes in headless Neovim', () => {
  assert.match(spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout, /^NVIM v0\.\d+/);
  const results = neovim(snippet('**Neovim 0.7**'), 'full');
  assert.ok(results.length >= 9, JSON.stringify(results));
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.detail}`);
});

test('the Neovim 0.8 configuration attaches and answers (0.8 calls stood in by shim-0.8.lua)', () => {
  const shim = readFileSync(join(root, 'test/lsp/nvim/shim-0.8.lua'), 'utf8');
  const results = neovim(`${shim}\n${snippet('**Neovim 0.8 and later**')}`, 'attach');
  assert.equal(results.map((r) => r.name), ['the gnet client attaches and initializes', 'hover shows the output shape']);
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.detail}`);
});

test.run();
