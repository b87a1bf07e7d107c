/**
 * A guard on what blocks emit: every emit() result must parse as exactly one TypeScript expression
 * with no comments, so a faulty block (or a value that slipped past JSON.stringify) fails generation
 * loudly instead of producing a module that does something else.
 */
import { ts } from 'ts-morph';

/** Internal but long-stable: the parser's syntax errors for a file. */
type ParsedFile = ts.SourceFile & { readonly parseDiagnostics: readonly ts.Diagnostic[] };

function hasComment(text: string): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) return true;
  }
  return false;
}

/** The parsed expression, or an Error naming the node whose block emitted something else. */
export function parseEmitted(expression: string, node: string): ts.Expression {
  const file = ts.createSourceFile('emit.ts', expression, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS) as ParsedFile;
  const [statement, ...rest] = file.statements;
  const single =
    statement !== undefined &&
    rest.length === 0 &&
    ts.isExpressionStatement(statement) &&
    statement.end === statement.expression.end && // no `;` that would cut the cast off
    file.parseDiagnostics.length === 0;
  if (!single || hasComment(expression)) {
    throw new Error(`codegen: the block of node '${node}' emitted something that is not one expression: ${JSON.stringify(expression)}`);
  }
  return statement.expression;
}

const printer = ts.createPrinter({ removeComments: true });

/** The expression as the TypeScript printer lays it out (`[1,1]` → `[1, 1]`); literals keep their source text. */
export function printExpression(parsed: ts.Expression): string {
  return printer.printNode(ts.EmitHint.Expression, parsed, parsed.getSourceFile());
}

const CASTS_WITHOUT_PARENS = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.ParenthesizedExpression,
]);

/** The printed expression `as type`, parenthesised when it binds more loosely than `as`. */
export function castTo(parsed: ts.Expression, type: string): string {
  const expression = printExpression(parsed);
  return CASTS_WITHOUT_PARENS.has(parsed.kind) ? `${expression} as ${type}` : `(${expression}) as ${type}`;
}
