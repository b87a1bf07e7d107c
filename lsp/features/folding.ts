/** Folding: networks, blocks, train sections, loops, conditionals and multi-line comments. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Stmt } from '../../compiler/syntax/ast.js';
import type { FileAnalysis } from '../analysis.js';
import { GnetLexer } from '../../compiler/syntax/tokens.js';

export function foldingRanges(file: FileAnalysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (span: { start: number; end: number }, kind?: FoldingRangeKind) => {
    const a = file.lines.position(span.start).line;
    const b = file.lines.position(span.end).line;
    if (b > a) ranges.push({ startLine: a, endLine: b, ...(kind ? { kind } : {}) });
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.kind === 'for') add(s.span), stmts(s.body);
      else if (s.kind === 'if') add(s.span), stmts(s.then), stmts(s.otherwise);
      else if (s.kind === 'train') add(s.span);
      else if (s.kind === 'block') add(s.decl.span), stmts(s.decl.body);
    }
  };
  const imports = file.names.ast.decls.filter((d) => d.kind === 'import');
  if (imports.length > 1) add({ start: imports[0]!.span.start, end: imports[imports.length - 1]!.span.end }, FoldingRangeKind.Imports);
  for (const d of file.names.ast.decls) if (d.kind !== 'import') add(d.span), stmts(d.body);
  for (const x of file.names.ast.experiments) add(x.span);
  const groups = GnetLexer.tokenize(file.text).groups;
  for (const c of groups.comments ?? []) add({ start: c.startOffset, end: c.endOffset ?? c.startOffset }, FoldingRangeKind.Comment);
  return ranges;
}
