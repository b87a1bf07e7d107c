/** The language server inside `experiment { … }` sections: diagnostics, completion of keys, networks and values, hover, navigation. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CodeActionRequest, CompletionRequest, DefinitionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest, RenameRequest,
  type CompletionItem, type CompletionList, type Location, type MarkupContent, type Position,
} from 'vscode-languageserver-protocol';
import { startClient, uri, type Client } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'gnet-lsp-exp-'));
const path = join(dir, 'table.gnet');

const NETS = `/// The small one.
network Small {
  input image: 28 x 28 x 1
  output logits = image -> conv(8) -> relu -> global_avgpool -> dense(10)
}

network Wide {
  input image: 28 x 28 x 1
  output logits = image -> conv(16) -> relu -> global_avgpool -> dense(10)
}
`;
const MAIN = `${NETS}
experiment Table1 {
  networks = [Small, Wide]
  train_sizes = [1000, all]
  seeds = 3
  epochs = 2
}
`;
writeFileSync(path, MAIN);
writeFileSync(join(dir, 'zoo.gnet'), 'network Zebra {\n  input x: 8 x 8 x 1\n  output o = x -> relu\n}\n');

let client: Client;

function pos(text: string, needle: string, shift = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  const before = text.slice(0, at + shift).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

const doc = { textDocument: { uri: uri(path) } };
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const labels = (r: CompletionItem[] | CompletionList | null) => items(r).map((i) => i.label);

async function complete(text: string, needle: string, shift = needle.length): Promise<CompletionItem[]> {
  client.change(path, text);
  return items(await client.connection.sendRequest(CompletionRequest.type, { ...doc, position: pos(text, needle, shift) }));
}

test.before(async () => {
  client = await startClient({ folder: dir });
  client.open(path, MAIN);
  assert.equal(await client.diagnostics(path), []);
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('diagnostics: an unknown network in a section, with its code and a quick fix; cleared by the fix', async () => {
  const typo = MAIN.replace('[Small, Wide]', '[Small, Wdie]');
  client.change(path, typo);
  const [d, ...rest] = await client.diagnostics(path, (ds) => ds.length > 0, client.version(path));
  assert.equal(rest, []);
  assert.is(d!.code, 'GN0723');
  assert.equal(d!.range.start, pos(typo, 'Wdie'));
  assert.match(String(d!.message), 'no network `Wdie`');
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { ...doc, range: d!.range, context: { diagnostics: [d!] } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
  assert.equal(actions.map((a) => [a.title, a.edit.changes[uri(path)]![0]!.newText]), [['Change to `Wide`', 'Wide']]);
  client.change(path, MAIN);
  assert.equal(await client.diagnostics(path, (ds) => ds.length === 0, client.version(path)), []);
});

test('completion at a key: the section\'s own keys first, then train keys, none already set, no blocks', async () => {
  const text = MAIN.replace('  epochs = 2\n', '  epochs = 2\n  me\n');
  const got = await complete(text, '  me', 4);
  const names = got.map((i) => i.label);
  assert.equal(names.slice(0, 3), ['data', 'metric', 'jobs']);
  for (const key of ['backend', 'workers', 'out', 'batch', 'schedule', 'optimizer', 'augment']) assert.ok(names.includes(key), key);
  for (const key of ['networks', 'train_sizes', 'seeds', 'epochs', 'seed', 'train_size', 'conv', 'Small']) assert.not.ok(names.includes(key), key);
  assert.ok(names.indexOf('backend') < names.indexOf('batch'));
  const metric = got.find((i) => i.label === 'metric')!;
  assert.is(metric.insertText, 'metric = ');
  assert.ok(String(metric.documentation).length > 0);
});

test('completion in `networks = [...]`: the file\'s networks not yet listed; in a half-written section too', async () => {
  const listing = MAIN.replace('[Small, Wide]', '[Small, ');
  assert.equal(labels(await complete(listing, '[Small, ')), ['Wide']);
  const fresh = `${NETS}\nexperiment {\n  networks = [`;
  const got = await complete(fresh, 'networks = [');
  assert.equal(got.map((i) => i.label).sort(), ['Small', 'Wide']);
  assert.is(got.find((i) => i.label === 'Small')!.documentation, 'The small one.');
  const importing = `import { Zebra } from "./zoo.gnet"\n${NETS}\nexperiment {\n  networks = [Small, `;
  const withImport = await complete(importing, '[Small, ');
  assert.equal(withImport.map((i) => [i.label, i.detail]), [['Wide', 'network'], ['Zebra', 'network — zoo.gnet']]);
});

test('completion of a key\'s words: metric, backend, `all` in train_sizes', async () => {
  const metric = `${NETS}\nexperiment {\n  metric = acc\n}`;
  assert.equal(labels(await complete(metric, 'metric = acc')), ['accuracy', 'miou', 'dice', 'loss']);
  const backend = `${NETS}\nexperiment {\n  backend = \n}`;
  assert.ok(labels(await complete(backend, 'backend = ')).includes('wasm'));
  const sizes = `${NETS}\nexperiment {\n  train_sizes = [100, \n}`;
  assert.equal(labels(await complete(sizes, '[100, ')), ['all']);
});

test('outside a section completion is as before (a stage after `->`, no keys, no keywords)', async () => {
  const text = MAIN.replace('  output logits = image -> conv(8)', '  z = image -> \n  output logits = image -> conv(8)');
  const names = labels(await complete(text, 'image -> \n', 9));
  assert.ok(names.includes('conv'));
  assert.not.ok(names.includes('train_sizes') || names.includes('experiment'));
});

test('hover on a key says what it sets; on a listed network shows the network', async () => {
  client.change(path, MAIN);
  const h = await client.connection.sendRequest(HoverRequest.type, { ...doc, position: pos(MAIN, 'seeds', 2) });
  assert.match((h!.contents as MarkupContent).value, /seeds = [\s\S]*How many seeds/);
  const t = await client.connection.sendRequest(HoverRequest.type, { ...doc, position: pos(MAIN, 'epochs', 2) });
  assert.match((t!.contents as MarkupContent).value, 'overrides the `train` section');
  const n = await client.connection.sendRequest(HoverRequest.type, { ...doc, position: pos(MAIN, 'Small, Wide', 1) });
  assert.match((n!.contents as MarkupContent).value, 'network Small');
});

test('definition and rename follow a network named in a section; the section is a symbol and folds', async () => {
  client.change(path, MAIN);
  const def = (await client.connection.sendRequest(DefinitionRequest.type, { ...doc, position: pos(MAIN, 'Wide]', 1) })) as Location | Location[];
  const loc = Array.isArray(def) ? def[0]! : def;
  assert.equal(loc.range.start, pos(MAIN, 'Wide {'));
  const rename = await client.connection.sendRequest(RenameRequest.type, { ...doc, position: pos(MAIN, 'Wide {', 1), newName: 'Broad' });
  const edits = rename!.changes![uri(path)]!;
  assert.equal(edits.map((e) => e.range.start).sort((a, b) => a.line - b.line), [pos(MAIN, 'Wide {'), pos(MAIN, 'Wide]')]);
  const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, doc)) as { name: string; detail?: string }[];
  assert.equal(symbols.map((s) => [s.name, s.detail]), [['Small', 'network'], ['Wide', 'network'], ['Table1', 'experiment']]);
  const folds = await client.connection.sendRequest(FoldingRangeRequest.type, doc);
  assert.ok(folds!.some((f) => f.startLine === pos(MAIN, 'experiment Table1').line && f.endLine === pos(MAIN, 'epochs = 2').line + 1));
});

test.run();
