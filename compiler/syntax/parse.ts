import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './ast.js';
import { parseTokens } from './parser.js';
import { toAst } from './to-ast.js';
import { lineColumn, lineStarts } from '../diagnostics/position.js';
import { lexSource } from './lex.js';
import { joinMissingArrows } from './missing-arrow.js';
import { LBracket, LCurly, LParen, RBracket, RCurly, RParen } from './tokens.js';

/** Deeper bracket nesting than any real spec; guards the recursive-descent parser's stack. */
export const MAX_NESTING = 64;

export interface ParseResult {
  readonly ast: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Source text → AST, collecting every lexical and syntax error of the file. */
export function parseSource(text: string, file: string): ParseResult {
  const { cst, diagnostics, groups, errorOffsets } = parseConcrete(text, file);
  if (!cst) return { ast: { file, decls: [], experiments: [] }, diagnostics };
  const joined = joinMissingArrows(toAst(cst, file, text, groups.docs ?? [], errorOffsets), text);
  return { ast: joined.ast, diagnostics: [...diagnostics, ...joined.diagnostics] };
}

export interface ConcreteParse {
  /** Undefined when the brackets nest too deep to parse at all. */
  readonly cst: CstNode | undefined;
  readonly tokens: readonly IToken[];
  /** Comment tokens, outside the parser's input: `docs` (`///`), `comments` (`//`, block comments). */
  readonly groups: Readonly<Record<string, IToken[]>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Where the parser met each syntax error (reported or not): what it recovered there is suspect. */
  readonly errorOffsets: readonly number[];
}

/** Source text → concrete syntax tree and tokens (the formatter's view: comments included). */
export function parseConcrete(text: string, file: string): ConcreteParse {
  const lexed = lexSource(text, file);
  const diagnostics = lexed.diagnostics;
  for (const t of lexed.groups.unclosed ?? []) {
    diagnostics.push(error('GN0002', 'unterminated comment', { file, start: t.startOffset, end: t.startOffset + 2 }, { help: 'close the comment with `*/`' }));
  }
  const tooDeep = findExcessNesting(lexed.tokens, file);
  if (tooDeep) return { cst: undefined, tokens: lexed.tokens, groups: lexed.groups, diagnostics: [...diagnostics, tooDeep], errorOffsets: [] };
  const { cst, errors } = parseTokens(lexed.tokens);
  const syntax = errors.map((e) => syntaxDiagnostic(e, text, file));
  const byPosition = [...diagnostics, ...firstPerDeclaration(syntax, cst)].sort((a, b) => a.primary.span.start - b.primary.span.start);
  return { cst, tokens: lexed.tokens, groups: lexed.groups, diagnostics: onePerLine(byPosition, text), errorOffsets: syntax.map((d) => d.primary.span.start) };
}

/**
 * One lexical or syntax error per line: after a typo the parser's recovery often trips again a token later
 * (`block unit(maps, = = "gauss")`), and the first message is the one that says what to fix.
 */
/**
 * One syntax error per declaration: once recovery has lost its footing inside a body, every later
 * line of it tends to fail too (`train {{` makes each setting "expected a name"). The declaration
 * is then left out of later checks anyway; the first error is the one to fix.
 */
function firstPerDeclaration(ds: readonly Diagnostic[], cst: CstNode): Diagnostic[] {
  const decls = Object.values(cst.children).flat().flatMap((c) => ('children' in c && c.location ? [c.location] : []));
  const reported = new Set<number>();
  return ds.filter((d) => {
    const at = d.primary.span.start;
    const i = decls.findIndex((l) => at >= l.startOffset && at <= (l.endOffset ?? l.startOffset));
    if (i < 0) return true;
    if (reported.has(i)) return false;
    reported.add(i);
    return true;
  });
}

function onePerLine(ds: readonly Diagnostic[], text: string): Diagnostic[] {
  const starts = lineStarts(text);
  let lastLine = -1;
  return ds.filter((d) => {
    const line = lineColumn(text, d.primary.span.start, starts).line;
    if (line === lastLine) return false;
    lastLine = line;
    return true;
  });
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
  const arithmetic = atEnd ? undefined : arithmeticAssignment(text, prev, tok);
  if (arithmetic) {
    return error('GN0015', `\`${arithmetic.name}\` is bound with \`=\`, which takes a pipeline, and \`${arithmetic.value}\` is arithmetic`, span, {
      label: 'arithmetic in a pipeline',
      help: `to name a number, write \`let ${arithmetic.name} = ${arithmetic.value}\``,
    });
  }
  const expected = expectedFrom(e.message);
  const found = atEnd ? 'the end of the file' : `'${tok.image}'`;
  const message = expected ? `expected ${expected}, found ${found}` : `unexpected ${found}`;
  return error('GN0003', message, span, {
    label: expected ? `expected ${expected}` : 'not expected here',
    help: atEnd ? 'the file ends inside a declaration: is a `}` or `)` missing?' : undefined,
  });
}

const OPERATORS = new Set(['Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Caret', 'EqEq', 'NotEq', 'Less', 'LessEq', 'Greater', 'GreaterEq', 'AndAnd', 'OrOr']);

/**
 * `w = planes / 2`, `w = 2 * planes`, `w = (a + b)`: arithmetic after `name =`, where a pipeline
 * must be. Read from the statement's line: a name, `=`, no `->`, and the parser stopped at an
 * operator, or at a number, `(` or `-` right after the `=`.
 */
function arithmeticAssignment(text: string, prev: IToken | undefined, tok: IToken): { name: string; value: string } | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', tok.startOffset - 1), text.lastIndexOf('\r', tok.startOffset - 1)) + 1;
  const before = text.slice(lineStart, tok.startOffset);
  const m = /^\s*(?:[{;]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)([^]*)$/.exec(before);
  if (!m || m[2]!.includes('->') || ['let', 'output', 'input', 'shared'].includes(m[1]!)) return undefined;
  const atOperator = OPERATORS.has(tok.tokenType?.name ?? '');
  const startsValue = prev?.tokenType.name === 'Equals' && ['NumberLiteral', 'LParen', 'Minus'].includes(tok.tokenType?.name ?? '');
  if (!atOperator && !startsValue) return undefined;
  const rest = text.slice(tok.startOffset).split(/\r\n|\r|\n/)[0]!.replace(/\/\/.*$/, '');
  return { name: m[1]!, value: `${m[2]!.trim()} ${rest.trim()}`.trim().replace(/\s*[;}]\s*$/, '') };
}

const TOKEN_TEXT: Record<string, string> = {
  RCurly: "'}'", LCurly: "'{'", RParen: "')'", LParen: "'('", RBracket: "']'", LBracket: "'['", Comma: "','", Colon: "':'",
  Equals: "'='", Arrow: "'->'", In: "'in'", EOF: 'a declaration (`network`, `block`, `import` or `experiment`)', Identifier: 'a name', NumberLiteral: 'a number', StringLiteral: 'a string', DotDot: "'..'",
};

/** Chevrotain's message lists token names; keep the first few, in words. */
function expectedFrom(message: string): string | undefined {
  const single = /Expecting token of type --> (\w+) <--/.exec(message);
  if (single) return TOKEN_TEXT[single[1]!] ?? single[1]!.toLowerCase();
  const names = [...message.matchAll(/\[(\w+)/g)].map((m) => TOKEN_TEXT[m[1]!] ?? m[1]!.toLowerCase());
  const unique = [...new Set(names)].slice(0, 4);
  return unique.length ? unique.join(' or ') : undefined;
}
