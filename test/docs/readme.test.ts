/**
 * The README stays true: its quick start trains a network that exists, its language example compiles
 * cleanly and is the network of specs/gauss-unet.gnet, and its diagnostics example is what the
 * compiler prints for that file.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { compileSource } from '../../compiler/program.js';
import { compileSpec, describe, network } from '../specs/compile.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const fences = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

test('the quick start trains a network its spec file holds', () => {
  const quickStart = fences('sh')[0]!;
  const match = /npx gnet train (\S+) --network (\S+)/.exec(quickStart);
  assert.ok(match, quickStart);
  const [, file, name] = match;
  assert.ok(compileSpec(file!.replace(/^specs\//, '')).networks.has(name!));
});

test('every gnet example compiles and analyses without a diagnostic', () => {
  const examples = fences('gnet');
  assert.ok(examples.length > 0);
  for (const [i, source] of examples.entries()) {
    const program = compileSource(source, `readme-${i}.gnet`);
    const diagnostics: Diagnostic[] = [...program.diagnostics];
    for (const graph of program.graphs) analyzeGraph(graph, {}, (d) => diagnostics.push(d));
    assert.equal(describe(diagnostics), [], `example ${i + 1}`);
  }
});

test('the language example is the Gaussian U-Net of specs/gauss-unet.gnet', () => {
  const program = compileSource(fences('gnet')[0]!, 'readme.gnet');
  const example = analyzeGraph(program.graphs[0]!, {}, () => assert.unreachable('no diagnostics'));
  assert.equal(example.totals, network('gauss-unet.gnet', 'GaussUNet').totals);
});

test('the diagnostics example is what gnet check prints for its file', () => {
  const match = /Diagnostics look like this \(`gnet check (\S+)`\):\n\n```\n(.*)\n/.exec(readme);
  assert.ok(match, 'README names the file its diagnostics example comes from');
  const [, file, firstLine] = match;
  const first = compileSpec(file!.replace(/^specs\//, '')).diagnostics[0]!;
  assert.is(firstLine, `${first.severity}[${first.code}]: ${first.message}`);
});

test.run();
