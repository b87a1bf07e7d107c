/** Semantic tokens: the lexer's tokens, names coloured by what they resolve to (built-in block, user block, network, parameter, value). */
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { IToken } from 'chevrotain';
import { GnetLexer } from '../../compiler/syntax/tokens.js';
import type { FileAnalysis } from '../analysis.js';
import type { DefKind, Target } from '../../compiler/elaborate/names.js';

const TYPES = ['keyword', 'number', 'string', 'comment', 'function', 'class', 'parameter', 'variable', 'property', 'operator', 'enumMember'] as const;
const MODIFIERS = ['declaration', 'defaultLibrary', 'documentation'] as const;
type TokenType = (typeof TYPES)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const KEYWORDS = new Set(['Network', 'Block', 'Import', 'From', 'Input', 'Output', 'Shared', 'For', 'In', 'If', 'Else', 'Budget', 'Train', 'Experiment', 'True', 'False']);
const OPERATORS = new Set(['Arrow', 'DotDot', 'EqEq', 'NotEq', 'LessEq', 'GreaterEq', 'Less', 'Greater', 'AndAnd', 'OrOr', 'Bang', 'Equals', 'Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Caret', 'Times']);

const DEF_TYPE: Record<DefKind, TokenType> = { network: 'class', block: 'function', param: 'parameter', value: 'variable', input: 'variable', shared: 'variable', loop: 'variable', import: 'function' };

function targetType(t: Target): [TokenType, number] {
  if (t.kind === 'builtin') return ['function', 1 << MODIFIERS.indexOf('defaultLibrary')];
  if (t.kind === 'imported' || t.kind === 'function') return ['function', 0];
  if (t.kind === 'def') return [DEF_TYPE[t.def.kind], 0];
  return ['enumMember', 0];
}

export function semanticTokens(file: FileAnalysis): SemanticTokens {
  const names = new Map<number, [TokenType, number]>();
  for (const { span, def } of file.names.sites) names.set(span.start, [DEF_TYPE[def.kind], 1 << MODIFIERS.indexOf('declaration')]);
  for (const r of file.names.refs) names.set(r.span.start, r.role === 'arg' ? ['parameter', 0] : targetType(r.target));
  const lexed = GnetLexer.tokenize(file.text);
  const all: [IToken, TokenType, number][] = [];
  for (const t of lexed.tokens) {
    const name = t.tokenType.name;
    if (KEYWORDS.has(name)) all.push([t, 'keyword', 0]);
    else if (name === 'NumberLiteral' || name === 'Dims') all.push([t, 'number', 0]);
    else if (name === 'StringLiteral') all.push([t, 'string', 0]);
    else if (OPERATORS.has(name)) all.push([t, 'operator', 0]);
    else if (name === 'Identifier') {
      const known = names.get(t.startOffset);
      all.push([t, ...(known ?? (['property', 0] as [TokenType, number]))]);
    }
  }
  for (const c of lexed.groups.comments ?? []) all.push([c, 'comment', 0]);
  for (const c of lexed.groups.docs ?? []) all.push([c, 'comment', 1 << MODIFIERS.indexOf('documentation')]);
  all.sort((a, b) => a[0].startOffset - b[0].startOffset);
  const builder = new SemanticTokensBuilder();
  for (const [t, type, mods] of all) {
    const end = (t.endOffset ?? t.startOffset) + 1;
    // Tokens may not span lines: a block comment is pushed line by line.
    let start = t.startOffset;
    while (start < end) {
      const nl = file.text.indexOf('\n', start);
      const stop = nl >= 0 && nl < end ? nl : end;
      if (stop > start) {
        const p = file.lines.position(start);
        builder.push(p.line, p.character, stop - start, TYPES.indexOf(type), mods);
      }
      start = stop + 1;
    }
  }
  return builder.build();
}
