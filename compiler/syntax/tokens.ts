import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

const keyword = (word: string): TokenType =>
  createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier });

export const Network = keyword('network');
export const Block = keyword('block');
export const Import = keyword('import');
export const From = keyword('from');
export const Input = keyword('input');
export const Output = keyword('output');
export const Shared = keyword('shared');
export const For = keyword('for');
export const In = keyword('in');
export const If = keyword('if');
export const Else = keyword('else');
export const Budget = keyword('budget');
export const Let = keyword('let');
export const Train = keyword('train');
export const Experiment = keyword('experiment');
export const True = keyword('true');
export const False = keyword('false');

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
// Comments live in token groups (not SKIPPED): the parser never sees them, the formatter and the
// doc-comment lookup do. A line comment ends at any line break (\n, \r\n or a lone \r).
export const DocComment = createToken({ name: 'DocComment', pattern: /\/\/\/[^\r\n]*/, group: 'docs' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });

/** Reported as GN0002 instead of lexing `/` `*` as operators. */
export const UnclosedComment = createToken({ name: 'UnclosedComment', pattern: /\/\*[\s\S]*/, group: 'unclosed', line_breaks: true });

/** `28x28x1` written without spaces. */
export const Dims = createToken({ name: 'Dims', pattern: /\d+(?:[x×]\d+)+(?![A-Za-z0-9_])/ });
/** Numbers may carry a magnitude suffix: 30k, 1.5M, 2GiB. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?(?:KiB|MiB|GiB|k|M|G)?(?![A-Za-z0-9_])/,
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\.)*"/ });
export const Times = createToken({ name: 'Times', pattern: /×/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./ });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/ });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/ });
export const LessEq = createToken({ name: 'LessEq', pattern: /<=/ });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/ });
export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/ });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });
export const Caret = createToken({ name: 'Caret', pattern: /\^/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });

export const allTokens: TokenType[] = [
  WhiteSpace, DocComment, LineComment, BlockComment, UnclosedComment,
  Network, Block, Import, From, Input, Output, Shared, For, In, If, Else, Budget, Let, Train, Experiment, True, False,
  Identifier, Dims, NumberLiteral, StringLiteral, Times,
  Arrow, DotDot, EqEq, NotEq, LessEq, GreaterEq, Less, Greater, AndAnd, OrOr, Bang, Equals,
  Plus, Minus, Star, Slash, Percent, Caret, LParen, RParen, LCurly, RCurly, LBracket, RBracket,
  Comma, Colon, Semicolon,
];

export const GnetLexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'full' });
