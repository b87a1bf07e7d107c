/**
 * Every diagnostic code has a page (docs/diagnostics/GNxxxx.md) whose failing example produces that
 * code and whose fixed example compiles and analyses cleanly; no page outlives its code (the index and
 * the run-time codes' pages: codes.test.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { CODES, type GnCode } from '../../compiler/diagnostics/codes.js';
import { compileSource } from '../../compiler/program.js';
import { pageFiles, readPage, type Example, type Page } from './pages.js';

/**
 * Codes that follow a page's code in its failing example: cascades its page describes. When the
 * compiler stops producing one, drop it here and from the page.
 */

/** Diagnostics of both stages: elaboration, then (when it had no errors) the analyses of every graph. */
function diagnosticsOf(example: Example): { diagnostics: Diagnostic[]; sources: ReadonlyMap<string, string> } {
  const program = compileSource(example.main, 'main.gnet', example.files, example.options);
  const diagnostics = [...program.diagnostics];
  if (!diagnostics.some((d) => d.severity === 'error')) {
    for (const graph of program.graphs) analyzeGraph(graph, {}, (d) => diagnostics.push(d));
  }
  return { diagnostics, sources: program.sources };
}

const describe = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.code} ${d.message}`).join('\n') || '(none)';

/**
 * Every code that compiler/ and cli/ pass to a Diagnostic constructor (`error('GN…'`, `ctx.error('GN…'`,
 * `warning('GN…'`). Codes named elsewhere there (comments, the CLI printing runtime `GnetError`s, GN0702+)
 * are not compile diagnostics.
 */
function sourceCodes(): Set<string> {
  const tsFiles = (dir: URL): URL[] =>
    readdirSync(dir).flatMap((name) => {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) return tsFiles(new URL(`${name}/`, dir));
      return name.endsWith('.ts') ? [url] : [];
    });
  const roots = ['compiler/', 'cli/'].map((dir) => new URL(`../../${dir}`, import.meta.url));
  const constructed = /\b(?:error|warning)\(\s*['"`](GN\d{4})['"`]/g;
  return new Set(roots.flatMap(tsFiles).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(constructed)].map((m) => m[1]!)));
}

/** Compile diagnostics' pages; run-time codes' pages have no examples to compile (codes.test.ts reads them). */
const names = pageFiles();
const pages: Page[] = names.map(readPage);

for (const [i, name] of names.entries()) {
  const page = pages[i]!;

  test(`${page.code}: the page is named after its code`, () => {
    assert.is(name, `${page.code}.md`);
  });

  test(`${page.code}: the failing example produces ${page.code}`, () => {
    const { diagnostics, sources } = diagnosticsOf(page.failing);
    const errors = [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
    // A warning's page shows the warning alone: no error beside it.
    const warning = diagnostics.some((d) => d.code === page.code && d.severity === 'warning');
    assert.equal(errors, warning ? [] : [page.code], describe(diagnostics));
    for (const d of diagnostics.filter((x) => x.code === page.code)) {
      const text = sources.get(d.primary.span.file);
      assert.ok(text !== undefined && d.primary.span.start <= d.primary.span.end && d.primary.span.end <= text.length, `span inside a file read: ${JSON.stringify(d.primary.span)}`);
    }
  });

  test(`${page.code}: the fixed example has no diagnostics`, () => {
    const { diagnostics } = diagnosticsOf(page.fixed);
    assert.equal(describe(diagnostics), '(none)');
  });
}

test('every code in compiler/ and cli/ has a page, and every page has a code there', () => {
  const documented = pages.map((p) => p.code);
  const emitted = [...sourceCodes()].sort();
  assert.equal(emitted.filter((code) => !documented.includes(code)), [], 'codes without a page');
  assert.equal(documented.filter((code) => !emitted.includes(code)), [], 'pages whose code no source emits');
});

test.run();
