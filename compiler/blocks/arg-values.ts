/**
 * ArgSpec semantics in one place: the stored form of a value (int2 and padding as [h, w]), whether a
 * value fits its spec, and a block's attributes from the arguments a user wrote, defaults filled.
 */
import type { AttrValue, Attrs } from '../ir/ir.js';
import type { ArgSpec, BlockDef } from './block.js';

/** The stored form: a single int for an int2 or explicit padding means [n, n]. */
export function normalizeArgValue(spec: ArgSpec, value: AttrValue): AttrValue {
  return (spec.type === 'int2' || spec.type === 'padding') && typeof value === 'number' ? [value, value] : value;
}

function boundsProblem(spec: ArgSpec, n: number): string | undefined {
  if (spec.min !== undefined && n < spec.min) return `at least ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `at most ${spec.max}`;
  return undefined;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isIntList = (v: AttrValue, length?: number): v is readonly number[] =>
  Array.isArray(v) && (length === undefined || v.length === length) && v.every(isInt);

/** What is wrong with a (normalized) value for this spec, as "expected …", or undefined when it fits. */
export function argValueProblem(spec: ArgSpec, value: AttrValue): string | undefined {
  if (value === null) return spec.default === null ? undefined : 'expected a value, got nothing';
  const numbers = ((): readonly number[] | string => {
    switch (spec.type) {
      case 'int':
        return isInt(value) ? [value] : 'an integer';
      case 'float':
        return typeof value === 'number' && Number.isFinite(value) ? [value] : 'a number';
      case 'bool':
        return typeof value === 'boolean' ? [] : 'true or false';
      case 'enum':
        return typeof value === 'string' && (spec.values ?? []).includes(value) ? [] : `one of ${(spec.values ?? []).join(', ')}`;
      case 'int2':
        return isIntList(value, 2) ? value : 'an integer or [height, width]';
      case 'padding':
        return value === 'same' || value === 'valid' ? [] : isIntList(value, 2) ? value : 'same, valid, an integer or [height, width]';
      case 'ints':
        return isIntList(value) ? value : 'a list of integers';
      case 'value':
        return 'a tensor (value arguments are inputs, not attributes)';
    }
  })();
  if (typeof numbers === 'string') return `expected ${numbers}, got ${JSON.stringify(value)}`;
  const outOfBounds = numbers.map((n) => boundsProblem(spec, n)).find((p) => p !== undefined);
  return outOfBounds === undefined ? undefined : `expected ${outOfBounds}, got ${JSON.stringify(value)}`;
}

/**
 * A block's attributes from named arguments as written (positional ones already named), normalized,
 * with defaults filled; problems lists unknown, missing and ill-typed arguments.
 */
export function attrsWithDefaults(def: BlockDef, given: Readonly<Record<string, AttrValue>>): { attrs: Attrs; problems: string[] } {
  const problems = Object.keys(given)
    .filter((name) => !Object.hasOwn(def.args, name) || def.args[name]!.type === 'value')
    .map((name) => `${def.kind} has no attribute argument '${name}'`);
  const attrs: Record<string, AttrValue> = {};
  for (const [name, spec] of Object.entries(def.args)) {
    if (spec.type === 'value') continue;
    const written = Object.hasOwn(given, name) ? given[name]! : spec.default;
    if (written === undefined) {
      problems.push(`${def.kind} needs argument '${name}'`);
      continue;
    }
    const value = normalizeArgValue(spec, written);
    const problem = argValueProblem(spec, value);
    if (problem !== undefined) problems.push(`${def.kind} ${name}: ${problem}`);
    attrs[name] = value;
  }
  return { attrs, problems };
}
