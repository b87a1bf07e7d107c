/** The language server driven through a real LSP client over stdio (`gnet lsp` spawned, JSON-RPC with the protocol types). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CodeActionRequest, CompletionRequest, DidChangeConfigurationNotification, DefinitionRequest, DocumentFormattingRequest, DocumentSymbolRequest, FoldingRangeRequest,
  HoverRequest, InlayHintRequest, ReferencesRequest, RenameRequest, SemanticTokensRequest, SignatureHelpRequest, WorkspaceSymbolRequest,
  type CompletionItem, type CompletionList, type Diagnostic, type Location, type MarkupContent, type Position,
} from 'vscode-languageserver-protocol';
import { formatSource } from '../../compiler/index.js';
import { startClient, uri, type Client } from './client.js';
import { GNET_NODE_ARGS } from '../support/gnet-command.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gnet-lsp-'));
const blocksPath = join(dir, 'blocks.gnet');
const mainPath = join(dir, 'main.gnet');

const BLOCKS = `/// One unit: conv, batch norm, ReLU.
block unit(maps, size = 3) {
  conv(maps, size) -> batchnorm -> relu
}
`;
const MAIN = `import { unit } from "./blocks.gnet"

network Net(base = 8) {
  input image: 32 x 32 x 3
  x = image -> unit(base) -> maxpool(2)
  y = x -> conv(16, 3, stride = 2) -> relu
  output logits = y -> global_avgpool -> dense(10)
}
`;
writeFileSync(blocksPath, BLOCKS);
writeFileSync(mainPath, MAIN);

let client: Client;

/** The position of the `nth` occurrence of `needle` in `text`, `shift` characters in. */
function pos(text: string, needle: string, shift = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not found`);
  const before = text.slice(0, at + shift).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

const doc = (path: string) => ({ textDocument: { uri: uri(path) } });

test.before(async () => {
  client = await startClient({ folder: dir });
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('diagnostics on open: every error with its code; a fix clears them', async () => {
  const broken = MAIN.replace('stride = 2', 'strid = 2').replace('input image: 32 x 32 x 3', 'input image: 32 x 32 x 3\n  w = image -> desne(10)');
  client.open(mainPath, broken);
  const ds = await client.diagnostics(mainPath, (d) => d.length > 0);
  assert.equal(ds.map((d) => d.code).sort(), ['GN0101', 'GN0102']);
  const typo = ds.find((d) => d.code === 'GN0102')!;
  assert.equal(typo.range, { start: pos(broken, 'strid'), end: pos(broken, 'strid', 5) });
  assert.match(typo.message as string, /did you mean `stride`/);
  assert.is(typo.source, 'gnet');

  // Code actions: the help's suggestion as a quick fix.
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { ...doc(mainPath), range: typo.range, context: { diagnostics: [typo] } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
  assert.is(actions.length, 1);
  assert.is(actions[0]!.title, 'Change to `stride`');
  assert.equal(actions[0]!.edit.changes[uri(mainPath)]!.map((e) => e.newText), ['stride']);

  client.change(mainPath, MAIN);
  const cleared = await client.diagnostics(mainPath);
  assert.equal(cleared, []);
});

test('related spans become relatedInformation', async () => {
  const twice = MAIN.replace('y = x -> conv', 'x = x -> conv');
  client.change(mainPath, twice);
  const ds = await client.diagnostics(mainPath, (d) => d.length > 0);
  const dup = ds.find((d) => d.code === 'GN0203')!;
  assert.ok(dup, JSON.stringify(ds));
  assert.is(dup.relatedInformation?.[0]?.message, 'first defined here');
  assert.equal(dup.relatedInformation?.[0]?.location.range.start, pos(twice, 'x = image'));
  client.change(mainPath, MAIN);
  assert.equal(await client.diagnostics(mainPath), []);
});

test('quick fix for a gauss size: the nearest valid sizes as argument edits', async () => {
  const gauss = MAIN.replace('conv(16, 3, stride = 2)', 'gauss(16, 4)');
  client.change(mainPath, gauss);
  const ds = await client.diagnostics(mainPath, (d) => d.length > 0);
  const even = ds.find((d) => d.code === 'GN0310')!;
  assert.ok(even, JSON.stringify(ds));
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { ...doc(mainPath), range: even.range, context: { diagnostics: [even] } })) as { title: string; edit: { changes: Record<string, { newText: string; range: { start: Position } }[]> } }[];
  assert.equal(actions.map((a) => a.title), ['Set `size = 3`', 'Set `size = 5`']);
  const edit = actions[0]!.edit.changes[uri(mainPath)]![0]!;
  assert.equal(edit.range.start, pos(gauss, '4)'));
  client.change(mainPath, MAIN);
  assert.equal(await client.diagnostics(mainPath), []);
});

test('hover on a block call shows the numbers of `gnet report --format json`', async () => {
  const report = JSON.parse(execFileSync(process.execPath, [...GNET_NODE_ARGS, 'report', mainPath, '--format', 'json'], { cwd: root, encoding: 'utf8' }));
  const net = Array.isArray(report) ? report[0] : report;
  const row = net.blocks.find((b: { op: string; name: string }) => b.op === 'conv' && b.name.startsWith('y'));
  assert.ok(row, JSON.stringify(net.blocks.map((b: { name: string }) => b.name)));
  const h = await client.connection.sendRequest(HoverRequest.type, { ...doc(mainPath), position: pos(MAIN, 'conv(16', 1) });
  const text = (h!.contents as MarkupContent).value;
  const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  assert.match(text, `output shape: **${row.outputShape.join('×')}**`);
  assert.match(text, `trainable parameters: **${group(row.trainable)}**`);
  assert.match(text, `non-trainable parameters: **${group(row.nonTrainable)}**`);
  assert.match(text, `multiply-adds: **${group(row.macs)}**`);
  assert.match(text, `receptive field: ${row.receptiveField.size.join('×')}`);
  assert.match(text, 'conv(filters');

  // A user block call: its doc and the sum over the nodes it expanded to.
  const unitRows = net.blocks.filter((b: { path: string[] }) => b.path[0] === 'x' && b.path[1] === 'unit');
  const hu = await client.connection.sendRequest(HoverRequest.type, { ...doc(mainPath), position: pos(MAIN, 'unit(base)', 1) });
  const ut = (hu!.contents as MarkupContent).value;
  assert.match(ut, 'One unit: conv, batch norm, ReLU.');
  assert.match(ut, `trainable parameters: **${group(unitRows.reduce((t: number, b: { trainable: number }) => t + b.trainable, 0))}**`);
  assert.match(ut, `output shape: **${unitRows.at(-1).outputShape.join('×')}**`);

  // On a value: the node producing it.
  const hv = await client.connection.sendRequest(HoverRequest.type, { ...doc(mainPath), position: pos(MAIN, 'y -> global', 0) });
  assert.match((hv!.contents as MarkupContent).value, /value y[\s\S]*output shape: \*\*8×8×16\*\*/);
});

test('hover on a block definition lists its parameters', async () => {
  client.open(blocksPath, BLOCKS);
  await client.diagnostics(blocksPath);
  const h = await client.connection.sendRequest(HoverRequest.type, { ...doc(blocksPath), position: pos(BLOCKS, 'block unit', 7) });
  const text = (h!.contents as MarkupContent).value;
  assert.match(text, 'block unit(maps, size = 3)');
  assert.match(text, '- `maps` (required)');
  assert.match(text, '- `size` = `3`');
  const imported = await client.connection.sendRequest(HoverRequest.type, { ...doc(mainPath), position: pos(MAIN, 'unit }', 1) });
  assert.match((imported!.contents as MarkupContent).value, /block unit\(maps, size = 3\)[\s\S]*One unit/);
});

const labels = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);

test('completion: blocks (built-in and imported), values, argument names, import paths', async () => {
  const typing = MAIN.replace('  output logits', '  z = x -> \n  output logits');
  client.change(mainPath, typing);
  const stage = labels(await client.connection.sendRequest(CompletionRequest.type, { ...doc(mainPath), position: pos(typing, 'x -> \n', 5) }));
  for (const name of ['conv', 'gauss', 'maxpool', 'unit', 'x', 'image', 'base']) assert.ok(stage.includes(name), name);

  const inCall = MAIN.replace('conv(16, 3, stride = 2)', 'conv(16, 3, ');
  client.change(mainPath, inCall);
  const args = await client.connection.sendRequest(CompletionRequest.type, { ...doc(mainPath), position: pos(inCall, 'conv(16, 3, ', 12) });
  const items = Array.isArray(args) ? args : args!.items;
  const stride = items.find((i) => i.label === 'stride');
  assert.ok(stride);
  assert.is(stride!.detail, 'axes = 1');
  assert.ok(!items.some((i) => i.label === 'conv'));

  const importing = `import { unit } from "./`;
  client.change(mainPath, importing);
  const paths = labels(await client.connection.sendRequest(CompletionRequest.type, { ...doc(mainPath), position: pos(importing, '"./', 3) }));
  assert.ok(paths.includes('./blocks.gnet'), paths.join());
  client.change(mainPath, MAIN);
  assert.equal(await client.diagnostics(mainPath), []);
});

test('signature help inside a call', async () => {
  const help = await client.connection.sendRequest(SignatureHelpRequest.type, { ...doc(mainPath), position: pos(MAIN, 'stride = 2', 3) });
  assert.match(help!.signatures[0]!.label, /^conv\(filters, size = 3, stride = 1/);
  assert.is(help!.activeParameter, 2);
  const user = await client.connection.sendRequest(SignatureHelpRequest.type, { ...doc(mainPath), position: pos(MAIN, 'unit(base)', 5) });
  assert.is(user!.signatures[0]!.label, 'block unit(maps, size = 3)');
});

test('definition: values in the file, blocks across files, import paths', async () => {
  const value = (await client.connection.sendRequest(DefinitionRequest.type, { ...doc(mainPath), position: pos(MAIN, 'x -> conv') })) as Location;
  assert.equal(value.range.start, pos(MAIN, 'x = image'));
  const block = (await client.connection.sendRequest(DefinitionRequest.type, { ...doc(mainPath), position: pos(MAIN, 'unit(base)', 2) })) as Location;
  assert.is(block.uri, uri(blocksPath));
  assert.equal(block.range.start, pos(BLOCKS, 'block unit', 6));
  const file = (await client.connection.sendRequest(DefinitionRequest.type, { ...doc(mainPath), position: pos(MAIN, 'blocks.gnet') })) as Location;
  assert.is(file.uri, uri(blocksPath));
});

test('references and rename of a block across two files', async () => {
  const refs = (await client.connection.sendRequest(ReferencesRequest.type, { ...doc(blocksPath), position: pos(BLOCKS, 'block unit', 7), context: { includeDeclaration: true } }))!;
  const where = refs.map((r) => `${r.uri === uri(mainPath) ? 'main' : 'blocks'}:${r.range.start.line}:${r.range.start.character}`).sort();
  assert.equal(where, ['blocks:1:6', 'main:0:9', 'main:4:15']);

  const edit = (await client.connection.sendRequest(RenameRequest.type, { ...doc(mainPath), position: pos(MAIN, 'unit(base)', 1), newName: 'layer' }))!;
  const changes = edit.changes!;
  assert.equal(Object.keys(changes).sort(), [uri(blocksPath), uri(mainPath)].sort());
  assert.is(changes[uri(mainPath)]!.length, 2);
  assert.is(changes[uri(blocksPath)]!.length, 1);
  assert.ok([...changes[uri(mainPath)]!, ...changes[uri(blocksPath)]!].every((e) => e.newText === 'layer'));

  const values = (await client.connection.sendRequest(RenameRequest.type, { ...doc(mainPath), position: pos(MAIN, 'y = x'), newName: 'features' }))!;
  assert.equal(values.changes![uri(mainPath)]!.map((e) => e.range.start.line).sort(), [5, 6]);

  const refused = await client.connection.sendRequest(RenameRequest.type, { ...doc(mainPath), position: pos(MAIN, 'y = x'), newName: 'network' }).then(() => 'accepted', (e: Error) => e.message);
  assert.match(refused, 'not a valid name');
});

test('an edit of an imported file re-analyses the open importer', async () => {
  const renamed = BLOCKS.replace('block unit', 'block stage');
  client.change(blocksPath, renamed);
  const ds = await client.diagnostics(mainPath, (d) => d.some((x) => x.code === 'GN0602'), 0);
  assert.match(ds.find((d) => d.code === 'GN0602')!.message as string, 'has no block `unit`');
  client.change(blocksPath, BLOCKS);
  assert.equal(await client.diagnostics(mainPath, (d) => d.length === 0, 0), []);
});

test('formatting gives the canonical layout of gnet fmt', async () => {
  const messy = MAIN.replace('x = image -> unit(base)', 'x=image->unit( base )');
  client.change(mainPath, messy);
  const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, { ...doc(mainPath), options: { tabSize: 2, insertSpaces: true } }))!;
  assert.is(edits.length, 1);
  const expected = formatSource(messy);
  assert.ok(expected.ok);
  assert.is(edits[0]!.newText, expected.ok ? expected.text : '');
  assert.match(edits[0]!.newText, 'x = image -> unit(base)');
  client.change(mainPath, MAIN);
});

test('inlay hints, symbols, semantic tokens, folding', async () => {
  const hints = (await client.connection.sendRequest(InlayHintRequest.type, { ...doc(mainPath), range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } } }))!;
  const labelsAt = hints.map((h) => `${h.position.line}:${h.label}`);
  assert.ok(labelsAt.includes('4:: 32×32×8'), labelsAt.join());
  assert.ok(labelsAt.includes('4:: 16×16×8'), labelsAt.join());
  assert.ok(labelsAt.includes('6:: 10'), labelsAt.join());

  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, doc(mainPath)))! as { name: string; children?: { name: string }[] }[];
  const net = symbols.find((s) => s.name === 'Net')!;
  assert.equal(net.children!.map((c) => c.name), ['base', 'image', 'x', 'y', 'logits']);
  const found = (await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'uni' }))! as { name: string; location: { uri: string } }[];
  assert.ok(found.some((s) => s.name === 'unit' && s.location.uri === uri(blocksPath)));

  const tokens = (await client.connection.sendRequest(SemanticTokensRequest.type, doc(mainPath)))!;
  assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
  const folds = (await client.connection.sendRequest(FoldingRangeRequest.type, doc(mainPath)))!;
  assert.ok(folds.some((f) => f.startLine === 2 && f.endLine === 7));
});

test('inlay hints follow the gnet.inlayHints setting', async () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { gnet: { inlayHints: false } } });
  assert.equal(await client.connection.sendRequest(InlayHintRequest.type, { ...doc(mainPath), range }), []);
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { gnet: { inlayHints: true } } });
  assert.ok((await client.connection.sendRequest(InlayHintRequest.type, { ...doc(mainPath), range }))!.length > 0);
});

test('inlay hints can be turned off at start', async () => {
  const off = await startClient({ folder: dir, initializationOptions: { inlayHints: false } });
  try {
    off.open(mainPath, MAIN);
    await off.diagnostics(mainPath);
    const hints = await off.connection.sendRequest(InlayHintRequest.type, { ...doc(mainPath), range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } } });
    assert.equal(hints, []);
  } finally {
    await off.stop();
  }
});

test.run();
