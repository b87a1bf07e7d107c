/**
 * Language-server latency through a real client over stdio (`gnet lsp`, the built bin/gnet.js when
 * dist/ exists), debounce 0 so a figure is the analysis plus the round trip: diagnostics after a
 * one-character edit of specs/resnet50.gnet, hover and completion there; then, for generated specs
 * of 5 000 and 50 000 blocks, the first diagnostics after opening, an edit, a hover and the outline
 * on the big file, and hovers on resnet50.gnet sent while the big file is being analysed (how many
 * were answered before its analysis ended, and how fast); and a 5 MB spec, which gets one diagnostic
 * instead of an analysis. Medians of repeated runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompletionRequest, DocumentSymbolRequest, HoverRequest, type Position } from 'vscode-languageserver-protocol';
import { startClient, uri, type Client } from '../test/lsp/client.js';
import { generatedSpec } from './frontend.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BigSpecFigures {
  readonly blocks: number;
  readonly megabytes: number;
  /** Open → its first diagnostics. */
  readonly openMs: number;
  readonly editMs: number;
  readonly hoverMs: number;
  readonly symbolsMs: number;
  /** Hovers on resnet50.gnet answered while the big file was being analysed after an edit. */
  readonly otherHovers: number;
  readonly otherHoverMedianMs: number;
  readonly otherHoverMaxMs: number;
}

export interface LspFigures {
  readonly built: boolean;
  /** A 5 MB generated spec (over the 2 MB default maxFileSize): open → its one diagnostic (GN0016). */
  readonly hugeMs: number;
  readonly hugeMegabytes: number;
  readonly resnetEditMs: number;
  readonly hoverMs: number;
  readonly completionMs: number;
  readonly big: readonly BigSpecFigures[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function positionOf(text: string, needle: string, shift = 0): Position {
  const at = text.indexOf(needle) + shift;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Types or deletes one space at `at`; the time until the diagnostics of that version arrive. */
async function edit(client: Client, path: string, at: Position, typed: boolean): Promise<number> {
  const started = performance.now();
  client.edit(path, typed ? { start: at, end: at } : { start: at, end: { ...at, character: at.character + 1 } }, typed ? ' ' : '');
  await client.diagnostics(path);
  return performance.now() - started;
}

async function editLatency(client: Client, path: string, at: Position, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await edit(client, path, at, i % 2 === 0));
  return median(times);
}

async function requestLatency(run: () => Promise<unknown>, runs: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function bigSpec(client: Client, dir: string, blocks: number, hoverOther: () => Promise<unknown>): Promise<BigSpecFigures> {
  const path = join(dir, `big-${blocks}.gnet`);
  const text = generatedSpec(blocks);
  writeFileSync(path, text);
  const opened = performance.now();
  client.open(path, text);
  await client.diagnostics(path);
  const openMs = performance.now() - opened;
  const middle = positionOf(text, `v${Math.floor(blocks / 8)} = `);
  const at = { line: middle.line, character: middle.character + 2 };
  const editMs = await editLatency(client, path, at, 3);

  // An edit starts a new analysis of the big file; meanwhile, hovers on another file.
  let analysing = true;
  const done = edit(client, path, at, true).then(() => (analysing = false));
  const hovers: number[] = [];
  while (analysing) {
    const started = performance.now();
    await hoverOther();
    if (analysing) hovers.push(performance.now() - started);
  }
  await done;

  const doc = { textDocument: { uri: uri(path) } };
  const hoverMs = await requestLatency(() => client.connection.sendRequest(HoverRequest.type, { ...doc, position: positionOf(text, 'conv(16', 1) }), 10);
  const symbolsMs = await requestLatency(() => client.connection.sendRequest(DocumentSymbolRequest.type, doc), 3);
  return {
    blocks, megabytes: Buffer.byteLength(text) / 1e6, openMs, editMs, hoverMs, symbolsMs,
    otherHovers: hovers.length, otherHoverMedianMs: hovers.length ? median(hovers) : NaN, otherHoverMaxMs: Math.max(...hovers),
  };
}

export async function benchLsp(sizes: readonly number[] = [5_000, 50_000]): Promise<LspFigures> {
  const built = existsSync(join(root, 'dist', 'cli.js'));
  const dir = mkdtempSync(join(tmpdir(), 'gnet-lsp-bench-'));
  const client = await startClient({ folder: dir, built, initializationOptions: { debounceMs: 0, inlayHints: true } });
  try {
    const resnet = join(root, 'specs', 'resnet50.gnet');
    const resnetText = readFileSync(resnet, 'utf8');
    client.open(resnet, resnetText);
    await client.diagnostics(resnet);
    const resnetEditMs = await editLatency(client, resnet, positionOf(resnetText, '-> bn -> relu', 2), 21);
    const doc = { textDocument: { uri: uri(resnet) } };
    const hoverResnet = () => client.connection.sendRequest(HoverRequest.type, { ...doc, position: positionOf(resnetText, 'conv(width, 3', 1) });
    const hoverMs = await requestLatency(hoverResnet, 50);
    const completionMs = await requestLatency(() => client.connection.sendRequest(CompletionRequest.type, { ...doc, position: positionOf(resnetText, '-> bn -> relu', 3) }), 50);
    const big: BigSpecFigures[] = [];
    for (const blocks of sizes) big.push(await bigSpec(client, dir, blocks, hoverResnet));
    const huge = join(dir, 'huge.gnet');
    const hugeText = generatedSpec(190_000);
    const opened = performance.now();
    client.open(huge, hugeText);
    await client.diagnostics(huge);
    const hugeMs = performance.now() - opened;
    return { built, hugeMs, hugeMegabytes: Buffer.byteLength(hugeText) / 1e6, resnetEditMs, hoverMs, completionMs, big };
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as the README quotes them. */
export function lspLines(f: LspFigures): string[] {
  const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
  return [
    `gnet lsp${f.built ? '' : ' (TypeScript sources)'}, over stdio, medians: diagnostics after a one-character edit of specs/resnet50.gnet ${ms(f.resnetEditMs)}; hover ${ms(f.hoverMs)}, completion ${ms(f.completionMs)}`,
    ...f.big.map((b) =>
      `  ${b.blocks}-block generated spec (${b.megabytes.toFixed(2)} MB): open → diagnostics ${ms(b.openMs)}, edit → diagnostics ${ms(b.editMs)}, hover ${ms(b.hoverMs)}, outline ${ms(b.symbolsMs)}; ` +
      `during its re-analysis ${b.otherHovers} hovers on resnet50.gnet answered (median ${ms(b.otherHoverMedianMs)}, slowest ${ms(b.otherHoverMaxMs)})`),
    `  ${f.hugeMegabytes.toFixed(1)} MB generated spec (over maxFileSize): open → its one diagnostic ${ms(f.hugeMs)}`,
  ];
}

/** `npx tsx bench/lsp.ts`: these figures alone. */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of lspLines(await benchLsp())) process.stdout.write(line + '\n');
}
