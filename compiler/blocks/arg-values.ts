/**
 * ArgSpec semantics in one place: the stored form of a value, whether a value fits its spec, and a
 * block's attributes from the arguments a user wrote, defaults filled. Axes and padding are stored as
 * written (one int for every spatial axis, or a list of 2 or 3): the input's rank decides what they mean.
 */
import type { AttrValue, Attrs } from '../ir/ir.js';
import type { ArgSpec, BlockDef } from './block.js';

/** Lists an axes argument may hold: [height, width] or [depth, height, width]. */
export const AXES_LENGTHS: readonly number[] = [2, 3];

function boundsProblem(spec: ArgSpec, n: number): string | undefined {
  if (spec.min !== undefined && n < spec.min) return `at least ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `at most ${spec.max}`;
  return undefined;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isIntList = (v: AttrValue, lengths?: readonly number[]): v is readonly number[] =>
  Array.isArray(v) && (lengths === undefined || lengths.includes(v.length)) && v.every(isInt);
const axesValue = (v: AttrValue): readonly number[] | undefined => (isInt(v) ? [v] : isIntList(v, AXES_LENGTHS) ? v : undefined);

/** What is wrong with a value for this spec, as "expected …", or undefined when it fits. */
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
      case 'axes':
        return axesValue(value) ?? 'an integer or a list per axis ([height, width] or [depth, height, width])';
      case 'padding':
        return value === 'same' || value === 'valid' ? [] : (axesValue(value) ?? 'same, valid, an integer or a list per axis');
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
 * A block's attributes from named arguments as written (positional ones already named),
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
    const value = written;
    const problem = argValueProblem(spec, value);
    if (problem !== undefined) problems.push(`${def.kind} ${name}: ${problem}`);
    attrs[name] = value;
  }
  return { attrs, problems };
}
