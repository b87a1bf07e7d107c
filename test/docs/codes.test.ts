/**
 * The one code registry (compiler/diagnostics/codes.ts): every code has a page titled with its
 * meaning, the index lists them all under their ranges, no two areas of gnet claim one code, and no
 * source file (TypeScript or Python) names a code the registry lacks. Compile diagnostics' pages are
 * checked further (their examples compiled) by diagnostics.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { CODES, type CodeArea, type GnCode } from '../../compiler/diagnostics/codes.js';
import { NATIVE_CODES } from '../../backends/native/backend.js';
import { TORCH_ERRORS } from '../../backends/torch/codes.js';
import { WEBGPU_CODES } from '../../backends/webgpu/codes.js';
import { PLAYGROUND_ERRORS } from '../../cli/commands/playground.js';
import { DATA_ERRORS } from '../../runtime/data/codes.js';
import { EXPERIMENT_ERRORS } from '../../runtime/experiment/codes.js';
import { EXPORT_ERRORS } from '../../runtime/export/codes.js';
import { TRAIN_ERRORS } from '../../runtime/train/codes.js';
import { PAGE_ERRORS } from '../../web/playground/page-codes.js';
import { LSP_CODES } from '../../lsp/codes.js';
import { SLURM_ERRORS } from '../../runtime/slurm/codes.js';
import { PAGES_DIR } from './pages.js';

const ROOT = new URL('../../', import.meta.url);
const codes = Object.keys(CODES) as GnCode[];
const pageText = (code: string) => readFileSync(new URL(`${code}.md`, PAGES_DIR), 'utf8');

test('every code has a page whose title is the code and its meaning; every page has a code', () => {
  const pages = readdirSync(PAGES_DIR).filter((name) => /^GN\d{4}\.md$/.test(name)).map((name) => name.slice(0, 6));
  assert.equal(codes.filter((code) => !pages.includes(code)), [], 'codes without a page');
  assert.equal(pages.filter((code) => !(code in CODES)), [], 'pages of codes the registry lacks');
  for (const code of codes) assert.is(pageText(code).split('\n')[0], `# ${code}: ${CODES[code].title}`, `title of ${code}.md`);
});

test('a run-time code\'s page shows the line gnet prints for it', () => {
  for (const code of codes.filter((c) => CODES[c].area !== 'compile')) {
    const fences = [...pageText(code).matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    assert.ok(fences.some((text) => text.includes(code)), `${code}.md shows the message in a fenced block`);
  }
});

test('the index lists every code in order, under its range, with its meaning', () => {
  const index = readFileSync(new URL('README.md', PAGES_DIR), 'utf8');
  const rows: { code: string; meaning: string }[] = [];
  let range = '';
  for (const line of index.split('\n')) {
    const heading = /^## (GN\d\d)xx\b/.exec(line);
    if (heading) range = heading[1]!;
    const row = /^\| \[(GN\d{4})\]\((GN\d{4})\.md\) \| (.+?) \|$/.exec(line);
    if (!row) continue;
    assert.is(row[2], row[1], `link of ${row[1]}`);
    assert.ok(row[1]!.startsWith(range), `${row[1]} is listed under ${range || 'no'} range heading`);
    rows.push({ code: row[1]!, meaning: row[3]! });
  }
  assert.equal(rows, codes.map((code) => ({ code, meaning: CODES[code].title })));
});

/** The code tables of gnet's areas, and the registry area each belongs to. */
const AREA_TABLES: readonly [string, Readonly<Record<string, GnCode>>, CodeArea | readonly CodeArea[]][] = [
  ['TRAIN_ERRORS', TRAIN_ERRORS, 'run'],
  ['EXPORT_ERRORS', EXPORT_ERRORS, 'export'],
  ['WEBGPU_CODES', WEBGPU_CODES, 'webgpu'],
  ['NATIVE_CODES', NATIVE_CODES, 'native'],
  ['TORCH_ERRORS', TORCH_ERRORS, 'torch'],
  ['PLAYGROUND_ERRORS', PLAYGROUND_ERRORS, 'playground'],
  ['PAGE_ERRORS', PAGE_ERRORS, 'playground'],
  ['EXPERIMENT_ERRORS', EXPERIMENT_ERRORS, 'experiment'],
  ['DATA_ERRORS', DATA_ERRORS, 'data'],
  ['LSP_CODES', LSP_CODES, 'lsp'],
  ['SLURM_ERRORS', SLURM_ERRORS, 'slurm'],
];

test('no code is claimed by two areas, and each area\'s codes are registered to it', () => {
  const owner = new Map<string, string>();
  for (const [table, entries, area] of AREA_TABLES) {
    for (const [name, code] of Object.entries(entries)) {
      assert.not.ok(owner.has(code), `${code} is ${owner.get(code)} and ${table}.${name}`);
      owner.set(code, `${table}.${name}`);
      assert.ok(([] as CodeArea[]).concat(area).includes(CODES[code].area), `${table}.${name} = ${code} is registered to ${CODES[code].area}`);
    }
  }
});

function sourceFiles(dir: URL): URL[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === '__pycache__') return [];
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) return sourceFiles(new URL(`${name}/`, dir));
    return /\.(ts|py)$/.test(name) ? [url] : [];
  });
}

test('every code written in gnet\'s sources and tests, TypeScript or Python, is in the registry', () => {
  // The tests too: a test still expecting a renumbered code fails only where its engine runs (CI).
  const roots = ['compiler/', 'runtime/', 'backends/', 'cli/', 'lsp/', 'web/', 'test/', 'bench/'].map((dir) => new URL(dir, ROOT));
  const unknown: string[] = [];
  for (const file of roots.flatMap(sourceFiles)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/GN\d{4}/g)) {
      if (!(match[0] in CODES)) unknown.push(`${match[0]} in ${file.pathname.slice(ROOT.pathname.length)}`);
    }
  }
  assert.equal(unknown, []);
});

test.run();
