import { CstParser, type CstNode, type IToken } from 'chevrotain';
import * as T from './tokens.js';

/** The grammar alone (no actions); syntax/to-ast.ts turns its CST into the AST. */
const BINARY_OPERATORS = [
  T.OrOr, T.AndAnd, T.EqEq, T.NotEq, T.LessEq, T.GreaterEq, T.Less, T.Greater, T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.Caret,
];

class GnetParser extends CstParser {
  constructor(recoveryEnabled = true) {
    super(T.allTokens, { recoveryEnabled, maxLookahead: 3, nodeLocationTracking: 'onlyOffset' });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.networkDecl) },
      { ALT: () => this.SUBRULE(this.blockDecl) },
      { ALT: () => this.SUBRULE(this.experimentDecl) },
    ]));
  });

  /** `experiment [Name] { key = value … }`: its entries are written as a train section's. */
  experimentDecl = this.RULE('experimentDecl', () => {
    this.CONSUME(T.Experiment);
    this.OPTION(() => this.CONSUME(T.Identifier));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.trainEntry));
    this.CONSUME(T.RCurly);
  });

  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
      this.CONSUME(T.RCurly);
      this.CONSUME(T.From);
    });
    this.CONSUME(T.StringLiteral);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  networkDecl = this.RULE('networkDecl', () => {
    this.CONSUME(T.Network);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.SUBRULE(this.body);
  });

  blockDecl = this.RULE('blockDecl', () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.SUBRULE(this.body);
  });

  paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.param) });
    this.CONSUME(T.RParen);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expr);
    });
  });

  body = this.RULE('body', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStmt) },
      { ALT: () => this.SUBRULE(this.outputStmt) },
      { ALT: () => this.SUBRULE(this.budgetStmt) },
      { ALT: () => this.SUBRULE(this.sharedStmt) },
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.trainStmt) },
      { ALT: () => this.SUBRULE(this.blockDecl) },
      { GATE: () => this.LA(2).tokenType === T.Equals, ALT: () => this.SUBRULE(this.assignStmt) },
      { ALT: () => this.SUBRULE(this.pipeline) },
    ]);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.OR([
      { ALT: () => this.CONSUME(T.Dims) },
      {
        ALT: () => {
          this.SUBRULE(this.expr, { LABEL: 'dim' });
          this.MANY({
            GATE: () => (this.LA(1).image === 'x' && this.LA(2).tokenType !== T.Equals && this.LA(2).tokenType !== T.Arrow) || this.LA(1).tokenType === T.Times,
            DEF: () => {
            this.OR2([
              { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'dimSep' }) },
              { ALT: () => this.CONSUME(T.Times) },
            ]);
            this.SUBRULE2(this.expr, { LABEL: 'dim' });
            },
          });
        },
      },
    ]);
  });

  outputStmt = this.RULE('outputStmt', () => {
    this.CONSUME(T.Output);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.pipeline);
    });
  });

  budgetStmt = this.RULE('budgetStmt', () => {
    this.CONSUME(T.Budget);
    this.CONSUME(T.Identifier, { LABEL: 'metric' });
    this.OR([
      { ALT: () => this.CONSUME(T.LessEq) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.GreaterEq) },
      { ALT: () => this.CONSUME(T.Greater) },
    ]);
    this.SUBRULE(this.expr, { LABEL: 'limit' });
    this.OPTION({
      GATE: () => this.LA(1).image === 'at',
      DEF: () => {
        this.CONSUME2(T.Identifier, { LABEL: 'at' });
        this.CONSUME3(T.Identifier, { LABEL: 'batchWord' });
        this.SUBRULE2(this.expr, { LABEL: 'batch' });
      },
    });
  });

  sharedStmt = this.RULE('sharedStmt', () => {
    this.CONSUME(T.Shared);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.stage);
  });

  letStmt = this.RULE('letStmt', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  forStmt = this.RULE('forStmt', () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expr, { LABEL: 'from' });
    this.CONSUME(T.DotDot);
    this.SUBRULE2(this.expr, { LABEL: 'to' });
    this.SUBRULE(this.body);
  });

  ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expr);
    this.SUBRULE(this.body, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE(this.ifStmt, { LABEL: 'elseIf' }) },
        { ALT: () => this.SUBRULE2(this.body, { LABEL: 'otherwise' }) },
      ]);
    });
  });

  trainStmt = this.RULE('trainStmt', () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.trainEntry));
    this.CONSUME(T.RCurly);
  });

  trainEntry = this.RULE('trainEntry', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.OR([{ ALT: () => this.SUBRULE(this.sizeTable) }, { ALT: () => this.SUBRULE(this.expr) }]);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  /** `{ 1000: 60, 5000: 30, all: 10 }`: a value per training-set size (experiments only; the checker says so elsewhere). */
  sizeTable = this.RULE('sizeTable', () => {
    this.CONSUME(T.LCurly);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sizeRow) });
    this.CONSUME(T.RCurly);
  });

  sizeRow = this.RULE('sizeRow', () => {
    this.OR([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  assignStmt = this.RULE('assignStmt', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.pipeline);
  });

  pipeline = this.RULE('pipeline', () => {
    this.SUBRULE(this.stage);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.stage);
    });
  });

  stage = this.RULE('stage', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.In) }]);
    this.OPTION(() => this.SUBRULE(this.argList));
    this.OPTION2(() => {
      this.CONSUME(T.Star);
      this.SUBRULE(this.unary, { LABEL: 'repeat' });
    });
  });

  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE('arg', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Equals,
      DEF: () => {
        this.CONSUME(T.Identifier, { LABEL: 'name' });
        this.CONSUME(T.Equals);
      },
    });
    this.SUBRULE(this.expr);
  });

  // Expressions are flat (operand (op operand)*); the AST builder applies precedence. One rule per
  // precedence level would build eight CST nodes per number and dominates parse time on large specs.
  expr = this.RULE('expr', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR(BINARY_OPERATORS.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'operator' }) })));
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE('unary', () => {
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Bang) }]));
    this.SUBRULE(this.primary);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.In) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => this.SUBRULE(this.argList));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.expr) });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });
}

/** One instance: chevrotain parsers are reusable and expensive to build. */
export const parser = new GnetParser();
let strict: GnetParser | undefined;

/**
 * Tokens → concrete syntax tree. Recovery re-enters the grammar once per junk statement it skips,
 * so thousands of them in one body exhaust the stack: such a file is parsed again without recovery,
 * which stops at its first syntax error (the one to fix).
 */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: typeof parser.errors } {
  try {
    parser.input = tokens;
    const cst = parser.file();
    return { cst, errors: parser.errors };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    strict ??= new GnetParser(false);
    strict.input = tokens;
    // Without recovery a file that fails at the top has no tree at all: an empty one.
    const cst = strict.file() ?? { name: 'file', children: {} };
    return { cst, errors: strict.errors };
  }
}
