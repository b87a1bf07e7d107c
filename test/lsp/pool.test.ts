/**
 * The analysis threads (lsp/pool.ts), driven directly: an analysis an edit made stale is cancelled
 * (its thread replaced) and the next one reads the new text; a request its client cancelled is
 * answered as cancelled; jobs on other files go to the other thread meanwhile.
 */
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancellationTokenSource, LSPErrorCodes } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import { AnalysisPool } from '../../lsp/pool.js';

const big = resolve('/virtual/big.gnet');
const small = resolve('/virtual/small.gnet');
const docs = new Map<string, { text: string; version: number }>();

function chain(blocks: number): string {
  const lines = ['network Big {', '  input x: 32 x 32 x 16', '  v0 = x -> relu'];
  for (let i = 1; i <= blocks / 3; i++) lines.push(`  v${i} = v${i - 1} -> conv(16, 3) -> batchnorm -> relu`);
  return [...lines, `  output y = v${Math.floor(blocks / 3)} -> global_avgpool -> dense(10)`, '}', ''].join('\n');
}

docs.set(big, { text: chain(30_000), version: 1 });
docs.set(small, { text: 'network S {\n  input x: 8 x 8 x 1\n  output y = x -> conv(4, 3)\n}\n', version: 1 });

// Every stale analysis is cancelled at once (the server waits 250 ms, so a short one finishes).
const pool = new AnalysisPool({ docs: () => docs, dependents: () => [], folders: () => [], options: () => ({ snippets: false, documentChanges: false }) }, 2, 0);

test.after(() => pool.dispose());

test('an edit cancels the running analysis of the file; the next analysis reads the new text', async () => {
  const stale = pool.analyze(big);
  pool.edited(big);
  assert.is(await stale, undefined, 'superseded: no result for the old text');
  docs.set(big, { text: docs.get(big)!.text.replace('dense(10)', 'dense(12)'), version: 2 });
  const fresh = await pool.analyze(big);
  assert.is(fresh?.version, 2);
  assert.equal(fresh?.diagnostics, []);
});

test('while one thread analyses the big file, the other answers about another', async () => {
  docs.set(big, { text: docs.get(big)!.text + ' ', version: 3 });
  const order: string[] = [];
  const analysing = pool.analyze(big).then((s) => (order.push('big analysed'), s));
  const uri = pathToFileURL(small).href;
  const answered = await pool.request(small, 'textDocument/documentSymbol', { textDocument: { uri } });
  order.push('small answered');
  assert.equal(('result' in answered ? (answered.result as { name: string }[]) : []).map((s) => s.name), ['S']);
  assert.is((await analysing)?.version, 3);
  assert.equal(order, ['small answered', 'big analysed']);
});

test('a request its client cancelled is answered as cancelled', async () => {
  docs.set(big, { text: docs.get(big)!.text + '  ', version: 4 });
  const source = new CancellationTokenSource();
  const request = pool.request(big, 'textDocument/documentSymbol', { textDocument: { uri: pathToFileURL(big).href } }, source.token);
  source.cancel();
  const answer = await request;
  assert.ok('error' in answer && answer.error.code === LSPErrorCodes.RequestCancelled, JSON.stringify(answer).slice(0, 200));
});

test.run();
