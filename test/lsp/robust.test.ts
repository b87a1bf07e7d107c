/**
 * Every editor feature on broken text: the fuzzer's mutated specs, each feature asked at many
 * offsets. A language server sees half-typed text all the time; none of this may throw.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { resolve } from 'node:path';
import { codeActions } from '../../lsp/features/code-actions.js';
import { completion } from '../../lsp/features/completion.js';
import { toLspDiagnostic } from '../../lsp/features/diagnostics.js';
import { foldingRanges } from '../../lsp/features/folding.js';
import { formatting } from '../../lsp/features/formatting.js';
import { hover } from '../../lsp/features/hover.js';
import { inlayHints } from '../../lsp/features/inlay-hints.js';
import { definition, references } from '../../lsp/features/navigation.js';
import { prepareRename, rename } from '../../lsp/features/rename.js';
import { semanticTokens } from '../../lsp/features/semantic-tokens.js';
import { signatureHelp } from '../../lsp/features/signature-help.js';
import { documentSymbols } from '../../lsp/features/symbols.js';
import { Workspace } from '../../lsp/workspace.js';
import { mutate, mutation, SEEDS } from '../fuzz/mutate.js';

function exercise(text: string): void {
  const ws = new Workspace();
  const path = resolve('fuzz-main.gnet');
  ws.update(path, text, 1);
  const file = ws.analysis(path);
  const diagnostics = file.diagnostics.filter((d) => d.primary.span.file === path).map((d) => toLspDiagnostic(d, file.lines, () => undefined));
  codeActions(file, 'file:///fuzz-main.gnet', diagnostics);
  semanticTokens(file);
  foldingRanges(file);
  documentSymbols(file.names, file.lines);
  inlayHints(file, 0, text.length);
  formatting(path, file.lines);
  const step = Math.max(1, Math.floor(text.length / 40));
  for (let offset = 0; offset <= text.length; offset += step) {
    hover(file, offset, () => undefined);
    completion(file, offset, () => [], () => [], { snippets: true });
    signatureHelp(file, offset, () => undefined);
    definition(ws, file.names, offset);
    references(ws, file.names, offset, true);
    prepareRename(ws, file.names, offset, file.lines);
    rename(ws, file.names, offset, 'renamed', { documentChanges: false });
  }
}

test('every seed spec, every feature', () => {
  for (const seed of SEEDS) exercise(seed);
});

test('mutated specs never make a feature throw', () => {
  fc.assert(
    fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
      exercise(mutate(seed, mutations));
    }),
    { numRuns: 150, seed: 12 },
  );
});

test.run();
