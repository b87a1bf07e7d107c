/**
 * docs/gauss-layer.md stays true: its basis order and sizes are the runtime's, its worked examples
 * compile to the parameter counts, multiply-adds and lowerings it quotes, its formulas (written out
 * here from the page) give the same numbers, its spec snippets compile cleanly with the counts their
 * text states, and the constants it names (σ ≥ 0.2, the depthwise weight) are the compiler's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeGraph, type NodeRow } from '../../compiler/analysis/index.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { DEPTHWISE_WEIGHT } from '../../compiler/blocks/gauss-lowering.js';
import { gauss } from '../../compiler/blocks/gauss.js';
import { compileSource } from '../../compiler/program.js';
import { basisDegrees3d, basisOrders, basisSize, basisSize3d } from '../../runtime/gauss/basis.js';
import { hermiteCoefficients } from '../../runtime/gauss/hermite.js';
import { describe } from '../specs/compile.js';

const page = readFileSync(new URL('../../docs/gauss-layer.md', import.meta.url), 'utf8');
const number = (text: string) => Number(text.replace(/\s/g, ''));

/** The gauss rows of every network of `source`, after checking it compiles without a diagnostic. */
function gaussRows(source: string, name: string): NodeRow[] {
  const program = compileSource(source, `${name}.gnet`);
  const diagnostics: Diagnostic[] = [...program.diagnostics];
  const analyses = program.graphs.map((graph) => analyzeGraph(graph, {}, (d) => diagnostics.push(d)));
  assert.equal(describe(diagnostics), [], name);
  return analyses.flatMap((a) => a.rows.filter((r) => r.node.op === 'gauss'));
}

test('the basis order and sizes are the runtime’s', () => {
  const listed = [...page.matchAll(/^ {4}K = (\d): (.+)$/gm)];
  assert.is(listed.length, 2);
  for (const [, order, pairs] of listed) {
    const expected = basisOrders(Number(order)).map(({ p, q }) => `(${p}, ${q})`).join(', ');
    assert.is(pairs, expected, `K = ${order}`);
  }
  const [, orders, sizes] = /^\| K +\|(.+)\|\n\|[-| ]+\|\n\| Nk +\|(.+)\|$/m.exec(page)!;
  const cells = (row: string) => row!.split('|').map((c) => Number(c.trim()));
  assert.equal(cells(orders!).map(basisSize), cells(sizes!));
  assert.equal(cells(orders!).map((k) => basisOrders(k).length), cells(sizes!));
});

test('the Hermite polynomials the page writes out are the runtime’s', () => {
  const [, written] = /\(so (H_2 = .+)\)\.$/m.exec(page)!;
  const superscript: Record<string, string> = { '²': '2', '³': '3', '⁴': '4' };
  const polynomials = written!.split(', ').map((text) => {
    const [, degree, terms] = /^H_(\d) = (.+)$/.exec(text)!;
    const coefficients = new Array<number>(Number(degree) + 1).fill(0);
    for (const [, sign, coefficient, t, power] of terms!.replace(/^/, '+ ').matchAll(/([+−]) (\d+)(t?)([²³⁴]?)/g)) {
      coefficients[t ? Number(superscript[power!] ?? 1) : 0] = (sign === '−' ? -1 : 1) * Number(coefficient);
    }
    return coefficients;
  });
  assert.equal(polynomials, hermiteCoefficients(4).slice(2));
});

interface Example {
  readonly input: string;
  readonly layer: string;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number;
  readonly lowering: string;
}

const examples: Example[] = [...page.matchAll(/^\| (\d+ x \d+ x \d+) \| (gauss\(.+?\)) \| ([\d ]+) \| ([\d ]+) \| ([\d ]+) \| ([a-z-]+) \|$/gm)].map((m) => ({
  input: m[1]!,
  layer: m[2]!,
  trainable: number(m[3]!),
  nonTrainable: number(m[4]!),
  macs: number(m[5]!),
  lowering: m[6]!,
}));

test('every worked example compiles to the counts, multiply-adds and lowering the page quotes', () => {
  assert.ok(examples.length >= 8, `${examples.length} examples`);
  assert.equal(new Set(examples.map((e) => e.lowering)), new Set(['combined', 'basis-first', 'separated']), 'each lowering appears');
  for (const example of examples) {
    const [row] = gaussRows(`network Example {\n  input image: ${example.input}\n  output y = image -> ${example.layer}\n}`, example.layer);
    assert.equal(
      { trainable: row!.trainable, nonTrainable: row!.nonTrainable, macs: row!.macs, lowering: /lowering ([a-z-]+)/.exec(row!.detail)?.[1] },
      { trainable: example.trainable, nonTrainable: example.nonTrainable, macs: example.macs, lowering: example.lowering },
      example.layer,
    );
  }
});

/** The layer's arguments from a spec line, with the block's defaults. */
function argsOf(layer: string) {
  const [filters, size] = /gauss\((\d+), (\d+)/.exec(layer)!.slice(1).map(Number) as [number, number];
  const named = (key: string) => new RegExp(`${key} = ([\\w.]+)`).exec(layer)?.[1];
  return {
    filters,
    size,
    order: Number(named('order') ?? 2),
    bases: Number(named('bases') ?? 1),
    separated: named('mix') === 'separated',
    isotropic: named('isotropic') === 'true',
    bias: named('bias') === 'true',
    fixed: ['sigma', 'mu', 'theta'].filter((g) => named(`train_${g}`) === 'false'),
  };
}

test('the page’s formulas (§4 counts, §9 costs and choice) give the worked examples’ numbers', () => {
  for (const example of examples) {
    const [h, w, fIn] = example.input.split(' x ').map(Number) as [number, number, number];
    const { filters: fOut, size: k, order, bases: B, separated, isotropic, bias, fixed } = argsOf(example.layer);
    const nk = ((order + 1) * (order + 2)) / 2;
    // §4
    const groups: Record<string, number> = { sigma: B * nk * (isotropic ? 1 : 2), mu: B * nk * 2, theta: B * nk };
    const mix = separated ? nk * (B * fIn + fOut) : fIn * fOut * nk;
    const frozen = fixed.reduce((sum, g) => sum + groups[g]!, 0);
    const trainable = Object.values(groups).reduce((a, b) => a + b, 0) - frozen + mix + (bias ? fOut : 0);
    assert.equal([trainable, frozen], [example.trainable, example.nonTrainable], `§4: ${example.layer}`);
    // §9 ('same' padding, stride 1: the output is the input's size)
    const [ho, wo] = [h, w];
    const cost = (depthwise: number): Record<string, number> => ({
      combined: ho * wo * k * k * fIn * fOut,
      'basis-first': ho * wo * (depthwise * k * k * fIn * B * nk + fIn * nk * fOut),
      ...(separated ? { separated: h * w * fIn * B * nk + ho * wo * (depthwise * k * k * B * nk + nk * fOut) } : {}),
    });
    const weighted = Object.entries(cost(DEPTHWISE_WEIGHT));
    const cheapest = weighted.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
    assert.is(cheapest, example.lowering, `§9 choice: ${example.layer}`);
    assert.is(cost(1)[cheapest], example.macs, `§9 MACs: ${example.layer}`);
  }
});

test('the spec snippets compile cleanly, with the counts their text states', () => {
  const snippets = [...page.matchAll(/```gnet\n([\s\S]*?)```\n(?:\n([^\n]+))?/g)];
  assert.ok(snippets.length >= 5, `${snippets.length} snippets`);
  let checked = 0;
  for (const [, source, after] of snippets) {
    const name = /network (\w+)/.exec(source!)![1]!;
    const rows = gaussRows(source!, name);
    const single = /^([\d ]+) trainable \([^)]*\), ([\d ]+) fixed/.exec(after ?? '');
    const pair = /^([\d ]+) trainable for the few-bases layer .*?, ([\d ]+) for the separated one/.exec(after ?? '');
    if (single) assert.equal([rows[0]!.trainable, rows[0]!.nonTrainable], [number(single[1]!), number(single[2]!)], name);
    if (pair) assert.equal(rows.map((r) => r.trainable), [number(pair[1]!), number(pair[2]!)], name);
    if (single || pair) checked++;
  }
  // The snippets the text gives counts for: RFNN, N-jet, DAU, few / separated.
  assert.is(checked, 4);
});

test('the constants the page names are the compiler’s: σ ≥ 0.2, a depthwise multiply-add counts as 8', () => {
  const clamp = Number(/σ stays ≥ (\d+(?:\.\d+)?)/.exec(page)![1]);
  assert.is(gauss.args.sigma_init!.min, clamp);
  const sigma = gauss.params!([[28, 28, 1]], { filters: 4, size: [5, 5], order: 1, bases: 1, mix: 'full', mix_init: 'normal', bias: false, isotropic: false, train_sigma: true, train_mu: true, train_theta: true, sigma_init: null, mu_init: null, theta_init: null } as never, [28, 28, 4]).find((w) => w.name === 'sigma');
  assert.is(sigma?.minValue, clamp);
  assert.is(Number(/a depthwise multiply-add counts as (\d+)/.exec(page)![1]), DEPTHWISE_WEIGHT);
});

test('the page stands alone, and the sources cite it by sections it has', () => {
  assert.not.match(page, /\/work\/|shared\/design|design note/);
  const root = new URL('../../', import.meta.url).pathname;
  const sections = new Set([...page.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
  const sources = ['compiler', 'runtime', 'backends', 'cli', 'specs', 'test', 'scripts', 'docs', 'web']
    .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)))
    .filter((f) => /\.(ts|mjs|gnet|md)$/.test(f) && f !== join('test', 'docs', 'gauss-layer.test.ts'));
  let citations = 0;
  for (const file of sources) {
    const text = readFileSync(join(root, file), 'utf8');
    assert.not.match(text, /\/work\/shared|shared\/design/, `${file} points outside the repository`);
    for (const [cite, folder, from, to] of text.matchAll(/([\w/.]*\/)?gauss-layer\.md §(\d+)(?:\s*[–-]\s*§?(\d+))?/g)) {
      assert.is(folder ?? '', file.startsWith('docs') ? '' : 'docs/', `${file}: ${cite} should name docs/gauss-layer.md`);
      for (const n of [from, to].filter(Boolean)) assert.ok(sections.has(Number(n)), `${file}: ${cite} names no section of the page`);
      citations++;
    }
  }
  assert.ok(citations >= 10, `${citations} citations found`);
});

test('§10: the volume basis order and sizes are the runtime’s', () => {
  const [, order, triples] = /^ {4}K = (\d) \(3-D\): (.+)$/m.exec(page)!;
  assert.is(triples, basisDegrees3d(Number(order)).map((d) => `(${d.join(', ')})`).join(', '));
  const [, orders, sizes] = /^\| K \(3-D\) +\|(.+)\|\n\|[-| ]+\|\n\| Nk \(3-D\) +\|(.+)\|$/m.exec(page)!;
  const cells = (row: string) => row.split('|').map((c) => Number(c.trim()));
  assert.equal(cells(orders!).map(basisSize3d), cells(sizes!));
  assert.equal(cells(orders!).map((k) => basisDegrees3d(k).length), cells(sizes!));
});

const volumeExamples = [...page.matchAll(/^\| (\d+ x \d+ x \d+ x \d+) \| (gauss\(.+?\)) \| ([\d ]+) \| ([\d ]+) \| ([\d ]+) \| ([a-z-]+) \|$/gm)].map((m) => ({
  input: m[1]!,
  layer: m[2]!,
  counts: [number(m[3]!), number(m[4]!), number(m[5]!)],
  lowering: m[6]!,
}));

test('§10: every volume example compiles to the counts, multiply-adds and lowering the page quotes, which its formulas give', () => {
  assert.ok(volumeExamples.length >= 6, `${volumeExamples.length} examples`);
  assert.ok(['combined', 'separated', 'basis-first', 'separated-axes', 'basis-first-axes'].every((l) => volumeExamples.some((e) => e.lowering === l)), 'each lowering appears');
  for (const example of volumeExamples) {
    const [row] = gaussRows(`network Example {\n  input volume: ${example.input}\n  output y = volume -> ${example.layer}\n}`, example.layer);
    assert.equal([row!.trainable, row!.nonTrainable, row!.macs], example.counts, example.layer);
    assert.is(/lowering ([a-z-]+)/.exec(row!.detail)?.[1], example.lowering, example.layer);
    // The page's formulas, written out here ('same' padding, stride 1: Vo = Vi).
    const [d, h, w, fIn] = example.input.split(' x ').map(Number) as [number, number, number, number];
    const [, fOutText, sizeText] = /gauss\((\d+), (\[[\d, ]+\]|\d+)/.exec(example.layer)!;
    const kernel = sizeText!.startsWith('[') ? (JSON.parse(sizeText!) as number[]) : [1, 2, 3].map(() => Number(sizeText));
    const named = (key: string) => new RegExp(`${key} = ([\\w.]+)`).exec(example.layer)?.[1];
    const [fOut, order, B] = [Number(fOutText), Number(named('order') ?? 2), Number(named('bases') ?? 1)];
    const nk = ((order + 1) * (order + 2) * (order + 3)) / 6;
    const separated = named('mix') === 'separated';
    const groups = { sigma: B * nk * (named('isotropic') === 'true' ? 1 : 3), mu: 3 * B * nk, theta: 3 * B * nk };
    const frozen = named('train_theta') === 'false' ? groups.theta : 0;
    const mix = separated ? nk * (B * fIn + fOut) : fIn * fOut * nk;
    assert.equal([groups.sigma + groups.mu + groups.theta - frozen + mix, frozen], example.counts.slice(0, 2), `formulas: ${example.layer}`);
    const vox = d * h * w;
    const cells = kernel[0]! * kernel[1]! * kernel[2]!;
    const passes = (c: number) => c * vox * (kernel[0]! + kernel[1]! + kernel[2]!);
    const costs: Record<string, (dw: number) => number> = {
      combined: () => vox * cells * fIn * fOut,
      'basis-first': (dw) => vox * (dw * cells * fIn * B * nk + fIn * nk * fOut),
      separated: (dw) => vox * fIn * B * nk + vox * (dw * cells * B * nk + nk * fOut),
      'basis-first-axes': (dw) => dw * passes(fIn * B * nk) + vox * fIn * nk * fOut,
      'separated-axes': (dw) => vox * fIn * B * nk + dw * passes(B * nk) + vox * nk * fOut,
    };
    const allowed = ['combined', 'basis-first', ...(separated ? ['separated'] : []), ...(frozen > 0 && named('theta_init') === '0' ? ['basis-first-axes', ...(separated ? ['separated-axes'] : [])] : [])];
    const cheapest = allowed.reduce((best, next) => (costs[next]!(DEPTHWISE_WEIGHT) < costs[best]!(DEPTHWISE_WEIGHT) ? next : best));
    assert.equal([cheapest, costs[cheapest]!(1)], [example.lowering, example.counts[2]], `choice: ${example.layer}`);
  }
});

test.run();
