/**
 * The findings about what an editor sees, each through `gnet lsp` over stdio: snippets only
 * for clients that take them, no declarations offered after `->`, an `untitled:` document's
 * diagnostics published to it, shapes kept for what still parses, an error after `shutdown`, a
 * huge file declined with one diagnostic, diagnostics capped with a summary, and hovers on one file
 * answered while another is still being analysed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CodeActionRequest, CompletionRequest, DocumentSymbolRequest, HoverRequest, InlayHintRequest, ShutdownRequest,
  type CodeAction, type CompletionItem, type CompletionList, type MarkupContent,
} from 'vscode-languageserver-protocol';
import { startClient, uri, type Client } from './client.js';
import { applyEdits, pos } from './text.js';

const dir = mkdtempSync(join(tmpdir(), 'gnet-editor-'));
const main = join(dir, 'main.gnet');
const MAIN = `network Net {
  input image: 32 x 32 x 3
  x = image -> conv(8, 3) -> maxpool(2)
  output logits = x -> global_avgpool -> dense(10)
}
`;
const everything = { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } };
const doc = (path: string) => ({ textDocument: { uri: uri(path) } });
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));

/** A network of `blocks` blocks in a chain (each line a conv, a batch norm and a ReLU). */
function bigSpec(blocks: number): string {
  const lines = ['network Big {', '  input x: 32 x 32 x 16', '  v0 = x -> relu'];
  for (let i = 1; i <= blocks / 3; i++) lines.push(`  v${i} = v${i - 1} -> conv(16, 3) -> batchnorm -> relu`);
  lines.push(`  output y = v${Math.floor(blocks / 3)} -> global_avgpool -> dense(10)`, '}', '');
  return lines.join('\n');
}

let client: Client;

test.before(async () => {
  client = await startClient({ folder: dir });
  client.open(main, MAIN);
  assert.equal(await client.diagnostics(main), []);
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('snippets only for a client that announces snippetSupport', async () => {
  const position = pos(MAIN, 'x -> global', 5);
  const plain = items(await client.connection.sendRequest(CompletionRequest.type, { ...doc(main), position }));
  assert.ok(plain.length > 10);
  assert.ok(plain.every((i) => i.insertTextFormat !== 2 && !/\$\{/.test(i.insertText ?? '')), 'no snippet syntax for this client');
  const snippets = await startClient({ folder: dir, capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } } });
  try {
    snippets.open(main, MAIN);
    await snippets.diagnostics(main);
    const conv = items(await snippets.connection.sendRequest(CompletionRequest.type, { ...doc(main), position })).find((i) => i.label === 'conv')!;
    assert.is(conv.insertTextFormat, 2);
    assert.is(conv.insertText, 'conv(${1:filters})');
  } finally {
    await snippets.stop();
  }
});

test('after `->` completion offers blocks and values, never `network`, `import` or `experiment`; at the top level, declarations only', async () => {
  const typing = MAIN.replace('  output', '  y = x -> \n  output');
  client.change(main, typing);
  const after = items(await client.connection.sendRequest(CompletionRequest.type, { ...doc(main), position: pos(typing, 'x -> \n', 5) })).map((i) => i.label);
  for (const name of ['conv', 'relu', 'x', 'image']) assert.ok(after.includes(name), name);
  for (const keyword of ['network', 'import', 'experiment', 'block', 'input']) assert.not.ok(after.includes(keyword), keyword);
  const top = items(await client.connection.sendRequest(CompletionRequest.type, { ...doc(main), position: { line: 6, character: 0 } })).map((i) => i.label);
  assert.equal(top.sort(), ['block', 'experiment', 'import', 'network']);
  client.change(main, MAIN);
  assert.equal(await client.diagnostics(main), []);
});

test('an `untitled:` document gets its diagnostics at its own URI', async () => {
  const untitled = 'untitled:Untitled-1';
  client.open(untitled, MAIN.replace('dense(10)', 'desne(10)'));
  assert.equal((await client.diagnostics(untitled)).map((d) => d.code), ['GN0101']);
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: untitled }, position: pos(MAIN, 'conv(8', 1) });
  assert.match((hover!.contents as MarkupContent).value, 'output shape: **32×32×8**');
});

test('a missing comma in a header keeps the shapes of the rest: inlay hints for what still elaborates', async () => {
  const broken = 'block unit(maps stride = 1) {\n  conv(maps, 3) -> relu\n}\n' + MAIN.replace('network Net {', 'network Net(base = 8 classes = 10) {').replace('maxpool(2)', 'unit(4) -> maxpool(2)');
  client.change(main, broken);
  const ds = await client.diagnostics(main, (d) => d.length > 0);
  assert.equal(ds.map((d) => d.code), ['GN0003', 'GN0003'], 'the two syntax errors, no guesses');
  const hints = (await client.connection.sendRequest(InlayHintRequest.type, { ...doc(main), range: everything }))!.map((h) => `${h.position.line}${h.label}`);
  assert.equal(hints, ['1: 32×32×4', '1: 32×32×4', '5: 32×32×8', '5: 32×32×4', '5: 16×16×4', '6: 4', '6: 10']);
  client.change(main, MAIN);
  assert.equal(await client.diagnostics(main), []);
});

test('a file over maxFileSize gets one diagnostic (GN0016) and no analysis; garbage under it, 100 diagnostics and a summary (GN0017)', async () => {
  const huge = join(dir, 'huge.gnet');
  client.open(huge, bigSpec(3).replace('network', '/* padding */'.repeat(200_000) + '\nnetwork'));
  const one = await client.diagnostics(huge);
  assert.equal(one.map((d) => d.code), ['GN0016']);
  assert.match(one[0]!.message as string, /this file is 2\.\d MB; the editor analyses files up to 2\.0 MB/);
  assert.is(await client.connection.sendRequest(HoverRequest.type, { ...doc(huge), position: { line: 0, character: 3 } }), null);
  assert.equal(await client.connection.sendRequest(DocumentSymbolRequest.type, doc(huge)), []);

  const garbage = join(dir, 'garbage.gnet');
  client.open(garbage, Array.from({ length: 3000 }, (_, i) => `network N${i} { ] }`).join('\n'));
  const capped = await client.diagnostics(garbage);
  assert.is(capped.length, 101);
  assert.ok(capped.slice(0, 100).every((d) => d.code === 'GN0003'));
  assert.is(capped[100]!.code, 'GN0017');
  assert.match(capped[100]!.message as string, /^2,900 more diagnostics in this file not shown/);
});

test('hovers on one file are answered while another, large, is still being analysed', async () => {
  const big = join(dir, 'big.gnet');
  const order: string[] = [];
  const analysed = client.diagnostics(big, () => true, 1).then(() => order.push('big analysed'));
  client.open(big, bigSpec(30_000));
  for (let i = 0; i < 5; i++) {
    const h = await client.connection.sendRequest(HoverRequest.type, { ...doc(main), position: pos(MAIN, 'conv(8', 1) });
    assert.match((h!.contents as MarkupContent).value, 'output shape');
    order.push('hover');
  }
  await analysed;
  assert.equal(order, ['hover', 'hover', 'hover', 'hover', 'hover', 'big analysed']);
  const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, doc(big));
  assert.is((symbols as { children: unknown[] }[])[0]!.children.length, 10_003, 'the input, v0 … v10000 and the output');
});

test('`w = p / 2` in a block: GN0015 says to write `let w = p / 2`, and the quick fix does', async () => {
  const slash = 'block unit(p) {\n  w = p / 2\n  conv(w, 3)\n}\n' + MAIN.replace('maxpool(2)', 'unit(8) -> maxpool(2)');
  client.change(main, slash);
  const [d] = await client.diagnostics(main, (ds) => ds.length > 0);
  assert.is(d!.code, 'GN0015');
  assert.match(d!.message as string, 'help: to name a number, write `let w = p / 2`');
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { ...doc(main), range: d!.range, context: { diagnostics: [d!] } })) as CodeAction[];
  assert.is(actions[0]!.title, 'Write `let w = p / 2`');
  client.change(main, applyEdits(slash, actions[0]!.edit!.changes![uri(main)]!));
  assert.equal(await client.diagnostics(main), []);
  client.change(main, MAIN);
  assert.equal(await client.diagnostics(main), []);
});

test('a request after `shutdown` is an error (InvalidRequest), not null', async () => {
  const other = await startClient({ folder: dir });
  other.open(main, MAIN);
  await other.diagnostics(main);
  await other.connection.sendRequest(ShutdownRequest.type);
  const error = await other.connection.sendRequest(HoverRequest.type, { ...doc(main), position: pos(MAIN, 'conv(8', 1) }).then(() => undefined, (e: { code: number; message: string }) => e);
  assert.is(error?.code, -32600);
  assert.match(error!.message, 'shutting down');
  await other.stop();
});

test.run();
