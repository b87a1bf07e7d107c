/** Incremental analysis: an edit drops the analyses of the edited file and of its importers, and nothing else. */
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Workspace } from '../../lsp/workspace.js';

const blocks = resolve('/virtual/blocks.gnet');
const main = resolve('/virtual/main.gnet');
const other = resolve('/virtual/other.gnet');
const BLOCKS = 'block unit(c) { conv(c, 3) -> relu }\n';
const MAIN = 'import { unit } from "./blocks.gnet"\nnetwork N { input x: 8 x 8 x 1\n  output y = x -> unit(4) }\n';
const OTHER = 'network O { input x: 8 x 8 x 1\n  output y = x -> conv(2, 3) }\n';

function workspace(): Workspace {
  const ws = new Workspace();
  ws.update(blocks, BLOCKS, 1);
  ws.update(main, MAIN, 1);
  ws.update(other, OTHER, 1);
  return ws;
}

test('an edit re-analyses the file and its importers only', () => {
  const ws = workspace();
  const [a, b, c] = [ws.analysis(blocks), ws.analysis(main), ws.analysis(other)];
  assert.equal(ws.update(blocks, BLOCKS.replace('relu', 'tanh'), 2).sort(), [blocks, main].sort());
  assert.is(ws.cached(other), c);
  assert.is(ws.cached(main), undefined);
  assert.is.not(ws.analysis(blocks), a);
  assert.is.not(ws.analysis(main), b);

  const kept = ws.analysis(blocks);
  assert.equal(ws.update(main, MAIN + '\n', 2), [main]);
  assert.is(ws.cached(blocks), kept);
  assert.is(ws.cached(other), c);
});

test('a cached analysis is reused until an edit; imported files are parsed once per text', () => {
  const ws = workspace();
  const first = ws.analysis(main);
  assert.is(ws.analysis(main), first);
  ws.update(main, MAIN + ' ', 2);
  const again = ws.analysis(main);
  assert.is.not(again, first);
  assert.equal(again.diagnostics, []);
  assert.is(again.program.syntax.get(blocks), first.program.syntax.get(blocks), 'blocks.gnet was not parsed again');
  assert.is.not(again.program.syntax.get(main), first.program.syntax.get(main));
});

test.run();
