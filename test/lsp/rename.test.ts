/**
 * Rename and references on the specs the issue names, through `gnet lsp` over stdio: a block's
 * `in`s are never the block, a clash or a capture is refused with its code, a file that is not
 * open is never edited, and every accepted rename compiles to the same network.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  PrepareRenameRequest, ReferencesRequest, RenameRequest, type Location, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { analyzeGraph, compileProgram } from '../../compiler/index.js';
import { startClient, uri, type Client } from './client.js';
import { applyEdits, pos } from './text.js';

const dir = mkdtempSync(join(tmpdir(), 'gnet-rename-'));
cpSync(new URL('../../specs', import.meta.url).pathname, dir, { recursive: true });
const resnet50 = join(dir, 'resnet50.gnet');
const resnet18 = join(dir, 'resnet18.gnet');
const imports = join(dir, 'examples', 'imports.gnet');
const common = join(dir, 'examples', 'common.gnet');
const text = (path: string) => readFileSync(path, 'utf8');

let client: Client;

test.before(async () => {
  client = await startClient({ folder: dir });
  for (const path of [resnet50, imports]) {
    client.open(path, text(path));
    await client.diagnostics(path);
  }
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

const at = (path: string, needle: string, shift = 0, nth = 0) => ({ textDocument: { uri: uri(path) }, position: pos(text(path), needle, shift, nth) });
const refused = (p: Promise<unknown>) => p.then((r) => `accepted ${JSON.stringify(r)}`, (e: Error) => e.message);
const where = (locations: readonly Location[]) => locations.map((l) => `${l.range.start.line + 1}:${l.range.start.character + 1}`).sort();

/** Trainable parameters of every network of `entry`, reading `files` (edited texts) before the disk. */
function totals(entry: string, files: ReadonlyMap<string, string> = new Map()): string {
  const program = compileProgram(entry, { readFile: (p) => files.get(p) ?? (() => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } })() });
  assert.equal(program.diagnostics.map((d) => `${d.code} ${d.message}`), [], 'the renamed spec compiles cleanly');
  return program.graphs.map((g) => `${g.name} ${analyzeGraph(g, {}, () => undefined).totals.trainable}`).join(', ');
}

function edited(edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const path = new URL(u).pathname;
    out.set(path, applyEdits(text(path), edits as TextEdit[]));
  }
  return out;
}

test('renaming `block bottleneck` of resnet50 leaves its `in`s alone, and the renamed spec is the same network', async () => {
  const edit = (await client.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'block bottleneck', 6), newName: 'bneck' }))!;
  const edits = edit.changes![uri(resnet50)]!;
  assert.equal(Object.keys(edit.changes!), [uri(resnet50)]);
  assert.ok(edits.every((e) => text(resnet50).split('\n')[e.range.start.line]!.slice(e.range.start.character).startsWith('bottleneck')), 'only `bottleneck` is rewritten');
  assert.is(edits.length, 3, 'the declaration and the two calls');
  const after = edited(edit);
  assert.match(after.get(resnet50)!, 'block bneck(width');
  assert.is(totals(resnet50, after), totals(resnet50));
});

test('references of `bottleneck` list no `in`; references of an `in` are that block\'s `in`s', async () => {
  const refs = (await client.connection.sendRequest(ReferencesRequest.type, { ...at(resnet50, 'block bottleneck', 6), context: { includeDeclaration: true } }))!;
  const source = text(resnet50).split('\n');
  assert.ok(refs.every((r) => source[r.range.start.line]!.slice(r.range.start.character).startsWith('bottleneck')), JSON.stringify(where(refs)));
  const ins = (await client.connection.sendRequest(ReferencesRequest.type, { ...at(resnet50, 'in -> conv(width, 1'), context: { includeDeclaration: true } }))!;
  const spec = text(resnet50);
  const inAt = (needle: string) => { const p = pos(spec, needle, needle.lastIndexOf('in')); return `${p.line + 1}:${p.character + 1}`; };
  assert.equal(where(ins), [inAt('main = in'), inAt('short = in ->'), inAt('short = in\n')].sort(), 'the three `in`s of bottleneck (19:10, 24:13, 26:13 before gnet fmt joined its lines)');
});

test('`in` cannot be renamed: prepareRename says why (GN0232)', async () => {
  assert.match(await refused(client.connection.sendRequest(PrepareRenameRequest.type, at(resnet50, 'in -> conv(width, 1'))), /^GN0232: `in` is the value flowing into the block/);
  assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'in -> conv(width, 1'), newName: 'x' })), 'GN0232');
  const ok = (await client.connection.sendRequest(PrepareRenameRequest.type, at(resnet50, 'bottleneck(width, stride', 2))) as { placeholder: string };
  assert.is(ok.placeholder, 'bottleneck');
});

test('renaming the imported `basic` needs resnet18.gnet open (GN0233); open, both files change and still compile', async () => {
  const message = await refused(client.connection.sendRequest(RenameRequest.type, { ...at(imports, 'basic(16)', 1), newName: 'residual' }));
  assert.match(message, /^GN0233: renaming `basic` would also change `[^`]*resnet18\.gnet`, which is not open/);
  assert.match(await refused(client.connection.sendRequest(PrepareRenameRequest.type, at(imports, 'basic(16)', 1))), 'GN0233');

  client.open(resnet18, text(resnet18));
  await client.diagnostics(resnet18);
  const edit = (await client.connection.sendRequest(RenameRequest.type, { ...at(imports, 'basic(16)', 1), newName: 'residual' }))!;
  assert.equal(Object.keys(edit.changes!).sort(), [uri(imports), uri(resnet18)].sort());
  const after = edited(edit);
  assert.match(after.get(resnet18)!, 'block residual(maps, stride = 1)');
  assert.match(after.get(resnet18)!, 'residual(maps, stride) -> residual(maps)');
  assert.ok(after.get(resnet18)!.includes('short = in\n'), 'the `in`s of resnet18 are untouched');
  assert.is(totals(imports, after), totals(imports));
  assert.is(totals(resnet18, after), totals(resnet18));
});

test('renaming a parameter renames the named arguments that set it, in every open importer', async () => {
  const edit = (await client.connection.sendRequest(RenameRequest.type, { ...at(resnet18, 'basic(maps, stride = 1)', 12), newName: 'step' }))!;
  const after = edited(edit);
  assert.match(after.get(imports)!, 'basic(32, step = 2)');
  assert.is(totals(imports, after), totals(imports));
});

test('a rename onto a name already declared there is refused (GN0230): `double_cbr` → `cbr`, `l2` → `l1`', async () => {
  client.open(common, text(common));
  await client.diagnostics(common);
  assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(common, 'block double_cbr', 6), newName: 'cbr' })), /^GN0230: `cbr` is already declared in this file \([^)]*common\.gnet:4:7\)/);
  assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(resnet18, 'l2 = l1'), newName: 'l1' })), /^GN0230: `l1` is already declared in network `ResNet18`/);
});

test('a rename that would change what another name means is refused (GN0231)', async () => {
  // `relu` is used in resnet50's bottleneck: a block named `relu` would take over those calls.
  assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'block bn', 6), newName: 'relu' })), /^GN0231: after renaming `bn` to `relu`, `relu` at [^ ]*resnet50\.gnet:\d+:\d+ would mean the block `relu` instead of the built-in block `relu`/);
  // A parameter renamed to a name the body already binds.
  assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'bottleneck(width,', 11), newName: 'main' })), /^GN0230: `main` is already declared in block `bottleneck`/);
});

test('a new name that is no name, or a keyword, is refused (GN0234)', async () => {
  for (const bad of ['2x', 'let', 'network', 'a-b', '']) {
    assert.match(await refused(client.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'block bn', 6), newName: bad })), /^GN0234: /, bad);
  }
});

test('a client that takes versioned edits gets them, with the version it has', async () => {
  const versioned = await startClient({ folder: dir, capabilities: { workspace: { workspaceEdit: { documentChanges: true } } } });
  try {
    versioned.open(resnet50, text(resnet50));
    await versioned.diagnostics(resnet50);
    versioned.change(resnet50, text(resnet50) + '\n');
    await versioned.diagnostics(resnet50);
    const edit = (await versioned.connection.sendRequest(RenameRequest.type, { ...at(resnet50, 'block bn', 6), newName: 'norm' }))!;
    const changes = edit.documentChanges as { textDocument: { uri: string; version: number }; edits: TextEdit[] }[];
    assert.is(changes.length, 1);
    assert.equal(changes[0]!.textDocument, { uri: uri(resnet50), version: 2 });
    assert.ok(changes[0]!.edits.length > 3);
  } finally {
    await versioned.stop();
  }
});

test.run();
