/**
 * Language-server latency through a real client over stdio (`gnet lsp`, the built bin/gnet.js when
 * dist/ exists): diagnostics after a one-character edit of specs/resnet50.gnet and of the generated
 * 10 000-block spec (debounce set to 0, so the figure is the analysis plus the round trip), and
 * hover and completion latency on a warm analysis. Medians of repeated runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompletionRequest, HoverRequest, type Position } from 'vscode-languageserver-protocol';
import { startClient, uri, type Client } from '../test/lsp/client.js';
import { generatedSpec } from './frontend.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LspFigures {
  readonly built: boolean;
  readonly resnetEditMs: number;
  readonly bigEditMs: number;
  readonly bigBlocks: number;
  readonly hoverMs: number;
  readonly completionMs: number;
  readonly bigHoverMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function positionOf(text: string, needle: string, shift = 0): Position {
  const at = text.indexOf(needle) + shift;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Alternately types and deletes one space at `at`; the time until the diagnostics of that version arrive. */
async function editLatency(client: Client, path: string, at: Position, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const typed = i % 2 === 0;
    const started = performance.now();
    client.edit(path, typed ? { start: at, end: at } : { start: at, end: { ...at, character: at.character + 1 } }, typed ? ' ' : '');
    await client.diagnostics(path);
    times.push(performance.now() - started);
  }
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

export async function benchLsp(bigBlocks = 10_000): Promise<LspFigures> {
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
    const hoverMs = await requestLatency(() => client.connection.sendRequest(HoverRequest.type, { ...doc, position: positionOf(resnetText, 'conv(width, 3', 1) }), 50);
    const completionMs = await requestLatency(() => client.connection.sendRequest(CompletionRequest.type, { ...doc, position: positionOf(resnetText, '-> bn -> relu', 3) }), 50);

    const big = join(dir, 'big.gnet');
    const bigText = generatedSpec(bigBlocks);
    writeFileSync(big, bigText);
    client.open(big, bigText);
    await client.diagnostics(big);
    const middle = positionOf(bigText, `v${Math.floor(bigBlocks / 8)} = `);
    const bigEditMs = await editLatency(client, big, { line: middle.line, character: middle.character + 2 }, 7);
    const bigHoverMs = await requestLatency(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri(big) }, position: positionOf(bigText, 'conv(16', 1) }), 20);
    return { built, resnetEditMs, bigEditMs, bigBlocks, hoverMs, completionMs, bigHoverMs };
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx tsx bench/lsp.ts`: these figures alone, beside the compiler's own time on the same big spec (same machine, same moment). */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { benchFrontend } = await import('./frontend.js');
  const f = await benchLsp();
  const fe = await benchFrontend(f.bigBlocks, 3);
  process.stdout.write(
    `gnet lsp${f.built ? '' : ' (TypeScript sources)'}, medians: edit → diagnostics, resnet50 ${f.resnetEditMs.toFixed(0)} ms, ${f.bigBlocks}-block spec ${f.bigEditMs.toFixed(0)} ms ` +
      `(parse + elaborate + analyses alone: ${(fe.compileMs + fe.analyzeMs).toFixed(0)} ms); hover ${f.hoverMs.toFixed(1)} ms (big spec ${f.bigHoverMs.toFixed(1)} ms); completion ${f.completionMs.toFixed(1)} ms\n`,
  );
}
