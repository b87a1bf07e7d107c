import type { ArgSpec, BlockDef } from '../blocks/block.js';
import { AXES_LENGTHS } from '../blocks/arg-values.js';
import { error, type Span } from '../diagnostics/diagnostic.js';
import type { AttrValue } from '../ir/ir.js';
import type { Arg } from '../syntax/ast.js';
import { closestName } from '../util/closest.js';
import { MAX_INT, reportUnknownName, type EvalContext } from './evaluate.js';
import { describeValue, isPoisoned, type Value } from './values.js';

export interface EvaluatedArg {
  readonly arg: Arg;
  readonly value: Value;
}

export interface BoundCall {
  readonly attrs: Record<string, AttrValue>;
  /** Tensor inputs after the incoming value, in order: positional tensors first, then tensor-typed named args. */
  readonly tensors: readonly Value[];
  /** True when an argument carried an error already reported: build no node, stay silent. */
  readonly poisoned: boolean;
}

/** Matches a call's arguments to a built-in block's schema: positional, named, defaults, types and ranges. */
export function bindBuiltinArgs(def: BlockDef, args: readonly EvaluatedArg[], callSpan: Span, ctx: EvalContext): BoundCall {
  const attrs: Record<string, AttrValue> = {};
  const given = new Map<string, Span>();
  const tensors: Value[] = [];
  const namedTensors: Value[] = [];
  let poisoned = false;
  let positional = 0;

  for (const { arg, value } of args) {
    if (isPoisoned(value)) poisoned = true;
    let name = arg.name;
    if (name === undefined) {
      const slot = def.positional[positional];
      const tensorSlot = slot !== undefined && def.args[slot]!.type === 'value';
      // Extra tensors feed merge blocks; a failed value that could be a tensor is silently one of them.
      if ((value.kind === 'tensor' && !tensorSlot) || (value.kind === 'error' && slot === undefined && def.inputs.max > 1)) {
        tensors.push(value);
        continue;
      }
      if (slot === undefined && value.kind === 'word') {
        reportUnknownName(value.value, value.span, ctx);
        poisoned = true;
        continue;
      }
      name = def.positional[positional++];
      if (name === undefined) {
        if (value.kind !== 'error') {
          const names = def.positional.length ? ` (${def.positional.join(', ')})` : '';
          const unnamed = Object.keys(def.args).find((k) => !def.positional.includes(k) && !args.some((a) => a.arg.name === k));
          ctx.accept(error('GN0106', `\`${def.kind}\` takes ${def.positional.length} positional argument${def.positional.length === 1 ? '' : 's'}${names}`, arg.span, {
            help: unnamed ? `name the argument, e.g. \`${unnamed} = …\`` : `\`${def.kind}\` takes no more arguments`,
          }));
        }
        poisoned = true;
        continue;
      }
    }
    const spec = def.args[name];
    if (!spec) {
      const suggestion = closestName(name, Object.keys(def.args));
      ctx.accept(error('GN0102', `\`${def.kind}\` has no argument \`${name}\``, arg.nameSpan ?? arg.span, {
        help: suggestion ? `did you mean \`${suggestion}\`?` : `its arguments: ${Object.keys(def.args).join(', ') || 'none'}`,
      }));
      poisoned = true;
      continue;
    }
    if (given.has(name)) {
      ctx.accept(error('GN0105', `argument \`${name}\` is given twice`, arg.span, { secondary: [{ span: given.get(name)!, label: 'first given here' }] }));
      poisoned = true;
      continue;
    }
    given.set(name, arg.span);
    if (spec.type === 'value') {
      if (value.kind !== 'tensor' && value.kind !== 'error') {
        if (value.kind === 'word') reportUnknownName(value.value, value.span, ctx);
        else ctx.accept(error('GN0104', `\`${name}\` of \`${def.kind}\` must be a tensor value, got ${describeValue(value)}`, arg.span));
        poisoned = true;
      } else namedTensors.push(value);
      continue;
    }
    const coerced = coerce(value, spec, `\`${name}\` of \`${def.kind}\``, arg.span, ctx);
    if (coerced === undefined) poisoned = true;
    else attrs[name] = coerced;
  }

  for (const [name, spec] of Object.entries(def.args)) {
    if (given.has(name) || spec.type === 'value') continue;
    if (spec.default === undefined) {
      ctx.accept(error('GN0103', `\`${def.kind}\` needs the argument \`${name}\``, callSpan, {
        label: `missing \`${name}\``,
        help: def.positional[0] === name ? `e.g. \`${def.kind}(${example(spec)})\`` : `e.g. \`${def.kind}(${name} = ${example(spec)})\``,
      }));
      poisoned = true;
    } else attrs[name] = spec.default;
  }
  return { attrs, tensors: [...tensors, ...namedTensors], poisoned };
}

function example(spec: ArgSpec): string {
  if (spec.type === 'enum') return spec.values?.[0] ?? 'value';
  if (spec.type === 'bool') return 'true';
  return '64';
}

/** Converts a value to an argument's type; undefined after reporting a problem. */
export function coerce(v: Value, spec: ArgSpec, what: string, span: Span, ctx: EvalContext): AttrValue | undefined {
  if (v.kind === 'error') return undefined;
  const fail = (expected: string): undefined => {
    if (v.kind === 'word' && spec.type !== 'enum' && spec.type !== 'padding') reportUnknownName(v.value, v.span, ctx);
    else ctx.accept(error('GN0104', `${what} must be ${expected}, got ${describeValue(v)}`, span));
    return undefined;
  };
  const int = (x: Value, lo = spec.min): number | undefined => {
    if (x.kind !== 'number') return undefined;
    if (!Number.isInteger(x.value)) return undefined;
    if (Math.abs(x.value) > MAX_INT) {
      ctx.accept(error('GN0109', `${what} ${x.value} is too large`, span, { help: `use a value below ${MAX_INT}` }));
      return NaN;
    }
    if (lo !== undefined && x.value < lo) {
      ctx.accept(error('GN0107', `${what} must be at least ${lo}, got ${x.value}`, span));
      return NaN;
    }
    if (spec.max !== undefined && x.value > spec.max) {
      ctx.accept(error('GN0107', `${what} must be at most ${spec.max}, got ${x.value}`, span));
      return NaN;
    }
    return x.value;
  };
  /** One int (every spatial axis) stays a number; a list of 2 or 3 ints stays a list. */
  const axesOf = (x: Value, lo = spec.min): AttrValue | undefined | null => {
    if (x.kind !== 'list') {
      const n = int(x, lo);
      return n === undefined ? undefined : Number.isNaN(n) ? null : n;
    }
    if (!AXES_LENGTHS.includes(x.items.length)) return undefined;
    const ns = x.items.map((item) => int(item, lo));
    if (ns.some((n) => n === undefined)) return undefined;
    return ns.some((n) => Number.isNaN(n)) ? null : (ns as number[]);
  };
  switch (spec.type) {
    case 'int': {
      const n = int(v);
      if (n === undefined) return fail('an integer');
      return Number.isNaN(n) ? undefined : n;
    }
    case 'float': {
      if (v.kind !== 'number') return fail('a number');
      if (spec.min !== undefined && v.value < spec.min) return rangeError(what, `at least ${spec.min}`, v.value, span, ctx);
      if (spec.max !== undefined && v.value > spec.max) return rangeError(what, `at most ${spec.max}`, v.value, span, ctx);
      if (spec.below !== undefined && v.value >= spec.below) return rangeError(what, `below ${spec.below}`, v.value, span, ctx);
      return v.value;
    }
    case 'bool': return v.kind === 'bool' ? v.value : fail('`true` or `false`');
    case 'enum': return enumValue(v, spec.values ?? [], what, span, ctx);
    case 'axes': {
      const p = axesOf(v);
      if (p === undefined) return fail('an integer or a list per axis ([height, width] or [depth, height, width])');
      return p ?? undefined;
    }
    case 'padding': {
      if (v.kind === 'word' || v.kind === 'string') return enumValue(v, ['same', 'valid'], what, span, ctx);
      const p = axesOf(v, 0);
      if (p === undefined) return fail('`same`, `valid`, an integer or a list per axis');
      return p ?? undefined;
    }
    case 'ints': {
      const items = v.kind === 'list' ? v.items : [v];
      const ns = items.map((x) => int(x));
      if (ns.some((n) => n === undefined)) return fail('a list of integers');
      return ns.some((n) => Number.isNaN(n)) ? undefined : (ns as number[]);
    }
    case 'value': return fail('a tensor');
  }
}

function rangeError(what: string, bound: string, got: number, span: Span, ctx: EvalContext): undefined {
  ctx.accept(error('GN0107', `${what} must be ${bound}, got ${got}`, span));
  return undefined;
}

function enumValue(v: Value, values: readonly string[], what: string, span: Span, ctx: EvalContext): string | undefined {
  const word = v.kind === 'word' || v.kind === 'string' ? v.value : undefined;
  if (word !== undefined && values.includes(word)) return word;
  const suggestion = word === undefined ? undefined : closestName(word, values);
  ctx.accept(error('GN0104', `${what} must be one of ${values.join(', ')}; got ${describeValue(v)}`, span, {
    help: suggestion ? `did you mean \`${suggestion}\`?` : undefined,
  }));
  return undefined;
}
