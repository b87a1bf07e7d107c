/**
 * One typo, one error: every committed spec with one character deleted, doubled or an `=` inserted
 * (60 per spec) gives at most three errors (most give one). Before the cascade fixes some gave 5–42.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import { compileSource } from '../../compiler/program.js';
import { REPO_ROOT, specFiles } from '../specs/files.js';

const paths = specFiles().map((file) => join(REPO_ROOT, file));
// The untouched specs, so that a spec's imports resolve and only the typo is counted.
const specs = Object.fromEntries(paths.map((path) => [path, readFileSync(path, 'utf8')]));

test('single-character typos in every spec: at most 3 errors each', () => {
  let seed = 1;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const counts: number[] = [];
  const worst: string[] = [];
  for (const path of paths) {
    const text = specs[path]!;
    for (let k = 0; k < 60; k++) {
      const at = random(text.length);
      const edit = random(3);
      const typo = edit === 0 ? text.slice(0, at) + text.slice(at + 1) : edit === 1 ? text.slice(0, at) + text[at] + text.slice(at) : `${text.slice(0, at)}=${text.slice(at)}`;
      const program = compileSource(typo, path, specs);
      const ds = [...program.diagnostics];
      if (!ds.some((d) => d.severity === 'error')) for (const g of program.graphs) analyzeGraph(g, {}, (d) => ds.push(d));
      const errors = ds.filter((d) => d.severity === 'error');
      counts.push(errors.length);
      if (errors.length > 3) worst.push(`${path} edit ${edit} at ${at}: ${errors.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
    }
  }
  assert.equal(worst, []);
  const single = counts.filter((n) => n === 1).length;
  const failing = counts.filter((n) => n > 0).length;
  assert.ok(single / failing > 0.85, `only ${single} of ${failing} typos give exactly one error`);
});

test.run();
