import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './ast.js';
import { parseTokens } from './parser.js';
import { toAst } from './to-ast.js';
import { GnetLexer, LBracket, LCurly, LParen, RBracket, RCurly, RParen } from './tokens.js';

/** Deeper bracket nesting than any real spec; guards the recursive-descent parser's stack. */
export const MAX_NESTING = 64;

export interface ParseResult {
  readonly ast: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Source text → AST, collecting every lexical and syntax error of the file. */
export function parseSource(text: string, file: string): ParseResult {
  const { cst, diagnostics, groups } = parseConcrete(text, file);
  if (!cst) return { ast: { file, decls: [] }, diagnostics };
  return { ast: toAst(cst, file, text, groups.docs ?? []), diagnostics };
}

export interface ConcreteParse {
  /** Undefined when the brackets nest too deep to parse at all. */
  readonly cst: CstNode | undefined;
  readonly tokens: readonly IToken[];
  /** Comment tokens, outside the parser's input: `docs` (`///`), `comments` (`//`, block comments). */
  readonly groups: Readonly<Record<string, IToken[]>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Source text → concrete syntax tree and tokens (the formatter's view: comments included). */
export function parseConcrete(text: string, file: string): ConcreteParse {
  const diagnostics: Diagnostic[] = [];
  // A UTF-8 byte-order mark (Windows editors write one) lexes as a space: offsets stay put.
  const lexed = GnetLexer.tokenize(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text);
  let lastLexEnd = -2;
  for (const e of lexed.errors) {
    // One diagnostic per run of bad characters, not one per byte of binary junk.
    if (e.offset <= lastLexEnd + 1) {
      lastLexEnd = e.offset + e.length;
      continue;
    }
    lastLexEnd = e.offset + e.length;
    const ch = text.slice(e.offset, e.offset + 1);
    const span = { file, start: e.offset, end: e.offset + Math.max(1, e.length) };
    if (ch === '"') diagnostics.push(error('GN0002', 'unterminated string', span, { help: 'close the string with `"` on the same line' }));
    else if (text.startsWith('/*', e.offset)) diagnostics.push(error('GN0002', 'unterminated comment', span, { help: 'close the comment with `*/`' }));
    else diagnostics.push(error('GN0001', `unexpected character ${describeChar(ch)}`, span, { help: 'remove it; .gnet files use ASCII names, numbers, strings and the operators in docs/language.md' }));
  }
  for (const t of lexed.groups.unclosed ?? []) {
    diagnostics.push(error('GN0002', 'unterminated comment', { file, start: t.startOffset, end: t.startOffset + 2 }, { help: 'close the comment with `*/`' }));
  }
  const tooDeep = findExcessNesting(lexed.tokens, file);
  if (tooDeep) return { cst: undefined, tokens: lexed.tokens, groups: lexed.groups, diagnostics: [...diagnostics, tooDeep] };
  const { cst, errors } = parseTokens(lexed.tokens);
  for (const e of errors) diagnostics.push(syntaxDiagnostic(e, text, file));
  return { cst, tokens: lexed.tokens, groups: lexed.groups, diagnostics };
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 32 || code === 0xfffd || code > 126 ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

function findExcessNesting(tokens: readonly IToken[], file: string): Diagnostic | undefined {
  let depth = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === LParen || type === LBracket || type === LCurly) {
      if (++depth > MAX_NESTING) {
        return error('GN0004', `brackets nested more than ${MAX_NESTING} deep`, { file, start: t.startOffset, end: t.startOffset + 1 }, {
          help: 'split the expression into named values or blocks',
        });
      }
    } else if (type === RParen || type === RBracket || type === RCurly) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function syntaxDiagnostic(e: IRecognitionException, text: string, file: string): Diagnostic {
  const tok = e.token;
  const atEnd = tok.tokenType?.name === 'EOF' || Number.isNaN(tok.startOffset);
  const prev = (e as { previousToken?: IToken }).previousToken;
  const span: Span = atEnd
    ? { file, start: prev && !Number.isNaN(prev.startOffset) ? prev.endOffset! + 1 : text.length, end: text.length }
    : { file, start: tok.startOffset, end: tok.endOffset! + 1 };
  const expected = expectedFrom(e.message);
  const found = atEnd ? 'the end of the file' : `'${tok.image}'`;
  const message = expected ? `expected ${expected}, found ${found}` : `unexpected ${found}`;
  return error('GN0003', message, span, {
    label: expected ? `expected ${expected}` : 'not expected here',
    help: atEnd ? 'the file ends inside a declaration: is a `}` or `)` missing?' : undefined,
  });
}

const TOKEN_TEXT: Record<string, string> = {
  RCurly: "'}'", LCurly: "'{'", RParen: "')'", LParen: "'('", RBracket: "']'", LBracket: "'['", Comma: "','", Colon: "':'",
  Equals: "'='", Arrow: "'->'", Identifier: 'a name', NumberLiteral: 'a number', StringLiteral: 'a string', DotDot: "'..'",
};

/** Chevrotain's message lists token names; keep the first few, in words. */
function expectedFrom(message: string): string | undefined {
  const single = /Expecting token of type --> (\w+) <--/.exec(message);
  if (single) return TOKEN_TEXT[single[1]!] ?? single[1]!.toLowerCase();
  const names = [...message.matchAll(/\[(\w+)/g)].map((m) => TOKEN_TEXT[m[1]!] ?? m[1]!.toLowerCase());
  const unique = [...new Set(names)].slice(0, 4);
  return unique.length ? unique.join(' or ') : undefined;
}
