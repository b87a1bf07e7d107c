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
  const { declarations, junk } = splitJunk(lexed.tokens, file);
  const { cst, errors } = parseTokens(declarations);
  const syntax = [...errors.map((e) => syntaxDiagnostic(e, text, file)), ...junk].sort((a, b) => a.primary.span.start - b.primary.span.start);
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
  const decls = DECLARATIONS.flatMap((name) => cst.children[name] ?? []).flatMap((c) => ('children' in c && c.location ? [c.location] : [])).sort((a, b) => a.startOffset - b.startOffset);
  const reported = new Set<number>();
  return ds.filter((d) => {
    const at = d.primary.span.start;
    // The last declaration starting at or before the error (binary search: a file may hold thousands).
    let lo = 0;
    let hi = decls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (decls[mid]!.startOffset <= at) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0 || at > (decls[i]!.endOffset ?? decls[i]!.startOffset)) return true;
    if (reported.has(i)) return false;
    reported.add(i);
    return true;
  });
}

const DECLARATIONS = ['importDecl', 'networkDecl', 'blockDecl', 'experimentDecl'];

const STARTS = new Set(['Import', 'Network', 'Block', 'Experiment']);
const OPENS: Record<string, string> = { LCurly: 'RCurly', LParen: 'RParen', LBracket: 'RBracket' };

/**
 * Tokens outside every declaration (a declaration runs from its keyword to the `}` that closes its
 * body, an import to its path, or else to the next keyword): left out of the parser's input, one
 * error per run. Recovery would skip them too, but re-entering the grammar and scanning to the end
 * of the file for each: quadratic, and out of stack, on a large file of junk.
 */
function splitJunk(tokens: readonly IToken[], file: string): { declarations: IToken[]; junk: Diagnostic[] } {
  const declarations: IToken[] = [];
  const junk: Diagnostic[] = [];
  let inside: string | undefined;
  /** The closers of the brackets open, innermost last. */
  const open: string[] = [];
  let opened = false;
  /** The token before was an import's path: a `;` may follow it. */
  let afterPath = false;
  let inRun = false;
  for (const t of tokens) {
    const type = t.tokenType.name;
    if (open.length === 0 && STARTS.has(type)) {
      inside = type;
      opened = false;
    }
    if (inside === undefined && !(afterPath && type === 'Semicolon')) {
      if (!inRun) junk.push(error('GN0003', `expected ${TOKEN_TEXT.EOF}, found '${t.image}'`, { file, start: t.startOffset, end: t.endOffset! + 1 }, { label: `expected ${TOKEN_TEXT.EOF}` }));
      inRun = true;
      afterPath = false;
      continue;
    }
    inRun = false;
    afterPath = false;
    declarations.push(t);
    if (OPENS[type]) {
      if (open.length === 0 && type === 'LCurly') opened = true;
      open.push(OPENS[type]!);
    } else if (type === open.at(-1)) open.pop(); // a closer that matches nothing open is left to the parser
    const depth = open.length;
    if (depth === 0 && inside === 'Import' && type === 'StringLiteral') {
      inside = undefined;
      afterPath = true;
    } else if (depth === 0 && inside !== undefined && inside !== 'Import' && opened && type === 'RCurly') inside = undefined;
  }
  return { declarations, junk };
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
  const ends = [text.indexOf('\n', tok.startOffset), text.indexOf('\r', tok.startOffset)].filter((i) => i >= 0);
  const rest = text.slice(tok.startOffset, ends.length ? Math.min(...ends) : text.length).replace(/\/\/.*$/, '');
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
