/**
 * Syntax highlighting for .gnet in CodeMirror: a line tokenizer (StreamLanguage) that mirrors the
 * compiler's lexer closely enough for colour; the worker's diagnostics stay the authority on errors.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';

const KEYWORDS = new Set(['network', 'block', 'import', 'from', 'input', 'output', 'shared', 'for', 'in', 'if', 'else', 'budget', 'train', 'experiment']);
const ATOMS = new Set(['true', 'false']);

interface State {
  /** Inside a `/* … *\/` comment that continues on the next line. */
  inComment: boolean;
  /** The previous word was `network` or `block`: the next one is a declaration name. */
  declaring: boolean;
}

function token(stream: StringStream, state: State): string | null {
  if (state.inComment) {
    state.inComment = !stream.skipTo('*/');
    if (state.inComment) stream.skipToEnd();
    else stream.pos += 2;
    return 'comment';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('///')) {
    stream.skipToEnd();
    return 'docString';
  }
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'lineComment';
  }
  if (stream.match('/*')) {
    state.inComment = true;
    return token(stream, state) ?? 'comment';
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
  if (stream.match(/^\d+(?:[x×]\d+)+(?![A-Za-z0-9_])/)) return 'number';
  if (stream.match(/^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?(?:KiB|MiB|GiB|k|M|G)?/)) return 'number';
  const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
  if (word) {
    const text = word[0];
    if (KEYWORDS.has(text)) {
      state.declaring = text === 'network' || text === 'block';
      return 'keyword';
    }
    if (state.declaring) {
      state.declaring = false;
      return 'variableName.definition';
    }
    if (ATOMS.has(text)) return 'atom';
    // A name followed by `(` or written after `->` is a block call.
    return stream.match(/^\s*\(/, false) ? 'variableName.function' : 'variableName';
  }
  if (stream.match('->') || stream.match(/^(?:==|!=|<=|>=|&&|\|\||\.\.|[<>=!*+\-/%×])/)) return 'operator';
  stream.next();
  return 'punctuation';
}

export const gnetLanguage = StreamLanguage.define<State>({
  name: 'gnet',
  startState: () => ({ inComment: false, declaring: false }),
  copyState: (s) => ({ ...s }),
  token,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
