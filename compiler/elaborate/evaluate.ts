import { error, type Accept, type Span } from '../diagnostics/diagnostic.js';
import type { BinaryOp, Expr } from '../syntax/ast.js';
import { closestName } from '../util/closest.js';
import type { Scope } from './scope.js';
import type { UseLog } from './uses.js';
import { ERROR, describeValue, type Value } from './values.js';

/** Integers beyond this are certainly typos (and would lose precision as float32 sizes). */
export const MAX_INT = 2 ** 31 - 1;

const FUNCTIONS: Record<string, (xs: number[]) => number> = {
  min: (xs) => Math.min(...xs),
  max: (xs) => Math.max(...xs),
  floor: (xs) => Math.floor(xs[0]!),
  ceil: (xs) => Math.ceil(xs[0]!),
  round: (xs) => Math.round(xs[0]!),
  sqrt: (xs) => Math.sqrt(xs[0]!),
};

export interface EvalContext {
  readonly scope: Scope;
  readonly accept: Accept;
  /** Called for a name that is bound nowhere: lets the caller say "used before its definition". */
  readonly unknownName?: (name: string, span: Span) => boolean;
  /** Records what each name looked up is bound to (the editor's rename checks against it). */
  readonly uses?: UseLog;
}

export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.kind) {
    case 'number': return { kind: 'number', value: e.value };
    case 'string': return { kind: 'string', value: e.value };
    case 'bool': return { kind: 'bool', value: e.value };
    case 'list': return { kind: 'list', items: e.items.map((i) => evaluate(i, ctx)) };
    case 'ref': {
      const b = ctx.scope.lookup(e.name);
      ctx.uses?.record(e.span, b);
      if (b?.kind === 'value') return b.value;
      if (b) {
        ctx.accept(error('GN0204', `\`${e.name}\` is a ${b.kind === 'block' ? 'block' : 'shared block instance'}, not a value`, e.span, {
          help: `use it as a pipeline stage: \`x -> ${e.name}\``,
        }));
        return ERROR;
      }
      return { kind: 'word', value: e.name, span: e.span };
    }
    case 'unary': {
      const operand = evaluate(e.operand, ctx);
      if (e.op === '!') return operand.kind === 'bool' ? { kind: 'bool', value: !operand.value } : typeError('`!` needs a boolean', operand, e.span, ctx);
      const v = numberOperand(operand, e.operand.span, ctx);
      return v === undefined ? ERROR : { kind: 'number', value: -v };
    }
    case 'binary': return binary(e.op, evaluate(e.left, ctx), evaluate(e.right, ctx), e, ctx);
    case 'call': {
      const args = e.args.map((a) => ({ name: a.name, value: evaluate(a.value, ctx) }));
      const fn = FUNCTIONS[e.name];
      if (!fn) return { kind: 'call', name: e.name, args };
      const nums = args.map((a, i) => numberOperand(a.value, e.args[i]!.span, ctx));
      if (nums.some((n) => n === undefined)) return ERROR;
      if (nums.length === 0) {
        ctx.accept(error('GN0103', `\`${e.name}\` needs at least one argument`, e.span));
        return ERROR;
      }
      return { kind: 'number', value: fn(nums as number[]) };
    }
  }
}

function typeError(message: string, v: Value, span: Span, ctx: EvalContext): Value {
  if (v.kind !== 'error') ctx.accept(error('GN0104', `${message}, got ${describeValue(v)}`, span));
  return ERROR;
}

/** A number, or undefined after reporting why not (unknown names get a "did you mean"). */
export function numberOperand(v: Value, span: Span, ctx: EvalContext): number | undefined {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'word') reportUnknownName(v.value, v.span, ctx);
  else if (v.kind !== 'error') ctx.accept(error('GN0104', `expected a number, got ${describeValue(v)}`, span));
  return undefined;
}

export function reportUnknownName(name: string, span: Span, ctx: EvalContext): void {
  if (ctx.unknownName?.(name, span)) return;
  const suggestion = closestName(name, ctx.scope.names());
  ctx.accept(error('GN0201', `unknown name \`${name}\``, span, {
    label: 'not defined',
    help: suggestion ? `did you mean \`${suggestion}\`?` : 'define it before this line, or add it as a parameter',
  }));
}

function binary(op: BinaryOp, l: Value, r: Value, e: Expr & { kind: 'binary' }, ctx: EvalContext): Value {
  if (op === '&&' || op === '||') {
    if (l.kind !== 'bool') return typeError(`\`${op}\` needs booleans`, l, e.left.span, ctx);
    if (r.kind !== 'bool') return typeError(`\`${op}\` needs booleans`, r, e.right.span, ctx);
    return { kind: 'bool', value: op === '&&' ? l.value && r.value : l.value || r.value };
  }
  if ((op === '==' || op === '!=') && l.kind !== 'number' && l.kind !== 'word' && l.kind === r.kind) {
    const same = JSON.stringify(l) === JSON.stringify(r);
    return { kind: 'bool', value: op === '==' ? same : !same };
  }
  const a = numberOperand(l, e.left.span, ctx);
  const b = numberOperand(r, e.right.span, ctx);
  if (a === undefined || b === undefined) return ERROR;
  switch (op) {
    case '+': return num(a + b);
    case '-': return num(a - b);
    case '*': return num(a * b);
    case '/':
    case '%':
      if (b === 0) {
        ctx.accept(error('GN0213', 'division by zero', e.span));
        return ERROR;
      }
      return num(op === '/' ? a / b : a % b);
    case '^': return num(a ** b);
    case '==': return { kind: 'bool', value: a === b };
    case '!=': return { kind: 'bool', value: a !== b };
    case '<': return { kind: 'bool', value: a < b };
    case '<=': return { kind: 'bool', value: a <= b };
    case '>': return { kind: 'bool', value: a > b };
    case '>=': return { kind: 'bool', value: a >= b };
  }
  return ERROR;
}

const num = (value: number): Value => ({ kind: 'number', value });

/** An integer in [min, MAX_INT], or undefined after reporting. */
export function expectInt(v: Value, span: Span, ctx: EvalContext, what: string, min = 0): number | undefined {
  const n = numberOperand(v, span, ctx);
  if (n === undefined) return undefined;
  if (!Number.isFinite(n) || Math.abs(n) > MAX_INT) {
    ctx.accept(error('GN0109', `${what} ${n} is too large`, span, { help: `use a value below ${MAX_INT}` }));
    return undefined;
  }
  if (!Number.isInteger(n)) {
    ctx.accept(error('GN0104', `${what} must be an integer, got ${n}`, span, { help: 'round it, e.g. with floor(...) or ceil(...)' }));
    return undefined;
  }
  if (n < min) {
    ctx.accept(error('GN0107', `${what} must be at least ${min}, got ${n}`, span));
    return undefined;
  }
  return n;
}
