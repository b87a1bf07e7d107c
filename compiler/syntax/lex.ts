import type { IToken } from 'chevrotain';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { GnetLexer } from './tokens.js';

export interface Lexed {
  readonly tokens: IToken[];
  /** Comment tokens, outside the parser's input: `docs` (`///`), `comments` (`//`, block comments), `unclosed`. */
  readonly groups: Record<string, IToken[]>;
  readonly diagnostics: Diagnostic[];
}

const NAME_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const ASCII_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Text → tokens, one diagnostic per run of characters the language does not have. Offsets always
 * index the original text. A name with non-ASCII letters (`Réseau`) is one error and still lexes as
 * one name, so the parser does not trip over its pieces; other stray characters lex as spaces.
 */
export function lexSource(text: string, file: string): Lexed {
  // A UTF-8 byte-order mark (Windows editors write one) lexes as a space.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const first = GnetLexer.tokenize(source);
  if (first.errors.length === 0) return { tokens: first.tokens, groups: first.groups, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const patched = source.split('');
  let lastEnd = -2;
  let lastWord = -1;
  for (const e of first.errors) {
    const run = e.offset <= lastEnd + 1;
    lastEnd = e.offset + e.length;
    const span = { file, start: e.offset, end: e.offset + Math.max(1, e.length) };
    const ch = String.fromCodePoint(source.codePointAt(e.offset) ?? 0xfffd);
    if (ch === '"' && !run) {
      diagnostics.push(error('GN0002', 'unterminated string', span, { help: 'close the string with `"` on the same line' }));
    } else if (source.startsWith('/*', e.offset) && !run) {
      diagnostics.push(error('GN0002', 'unterminated comment', span, { help: 'close the comment with `*/`' }));
    } else if (/[\p{L}\p{M}]/u.test(ch)) {
      const [start, end] = wordAround(source, e.offset, e.offset + e.length);
      for (let i = start; i < end; i++) if (source.charCodeAt(i) > 127) patched[i] = '_';
      if (start === lastWord) continue;
      lastWord = start;
      const word = source.slice(start, end);
      const ascii = word.normalize('NFD').replace(/\p{M}/gu, '');
      diagnostics.push(error('GN0001', `\`${word}\` is not a valid name: names use ASCII letters, digits and \`_\``, { file, start, end }, {
        label: 'non-ASCII name',
        help: ASCII_NAME.test(ascii) ? `did you mean \`${ascii}\`?` : 'rename it with ASCII letters, digits and `_`',
      }));
    } else {
      for (let i = e.offset; i < e.offset + e.length; i++) if (patched[i] !== '"') patched[i] = ' ';
      if (!run) diagnostics.push(error('GN0001', `unexpected character ${describeChar(ch)}`, span, { help: 'remove it; .gnet files use ASCII names, numbers, strings and the operators in docs/language.md' }));
    }
  }
  const second = GnetLexer.tokenize(patched.join(''));
  return { tokens: second.tokens, groups: second.groups, diagnostics };
}

/** The whole name a non-ASCII letter sits in: neighbouring letters, marks, digits and `_`. */
function wordAround(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s > 0 && NAME_CHAR.test(charBefore(text, s))) s -= charBefore(text, s).length;
  while (e < text.length && NAME_CHAR.test(String.fromCodePoint(text.codePointAt(e)!))) e += String.fromCodePoint(text.codePointAt(e)!).length;
  return [s, e];
}

function charBefore(text: string, offset: number): string {
  const low = text.charCodeAt(offset - 1);
  return low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? text.slice(offset - 2, offset) : text.slice(offset - 1, offset);
}

/** A character by its code point (whole, even outside the 16-bit range), printable ASCII quoted. */
function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 32 && code <= 126) return `'${ch}'`;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code > 160 && code !== 0xfffd && /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `${name} '${ch}'` : name;
}
