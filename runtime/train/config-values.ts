import { closestName } from '../../compiler/util/closest.js';
import { TRAIN_ERRORS, trainError } from './codes.js';

/**
 * Readers for the values of a training section. A section value arrives as plain data (the
 * compiler's TrainValue: numbers, strings and bare words, booleans, lists, and calls as
 * `{ name, arg: value }` objects); each reader checks one value and says where it came from.
 */
export type SectionValue = number | string | boolean | readonly SectionValue[] | { readonly [key: string]: SectionValue };

/** `where` names the origin in messages: "train.epochs of network Tiny", "--epochs". */
export function describe(value: SectionValue): string {
  return typeof value === 'string' ? `\`${value}\`` : JSON.stringify(value);
}

export function badValue(where: string, expected: string, value: SectionValue): Error {
  return trainError(TRAIN_ERRORS.badValue, `${where} must be ${expected}, got ${describe(value)}`);
}

export function unknownName(where: string, kind: string, name: string, valid: readonly string[]): Error {
  const near = closestName(name, valid);
  const hint = near ? `did you mean \`${near}\`? ` : '';
  return trainError(TRAIN_ERRORS.unknownName, `${where}: unknown ${kind} \`${name}\`; ${hint}use one of: ${valid.join(', ')}`);
}

export function unknownKey(where: string, key: string, valid: readonly string[]): Error {
  const near = closestName(key, valid);
  const hint = near ? `did you mean \`${near}\`? ` : '';
  return trainError(TRAIN_ERRORS.unknownSetting, `${where}: unknown setting \`${key}\`; ${hint}valid settings: ${valid.join(', ')}`);
}

export function readNumber(value: SectionValue, where: string, range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean } = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
  if (ok) return value;
  throw badValue(where, rangeText(range), value);
}

function rangeText(range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean }): string {
  const kind = range.integer ? 'an integer' : 'a number';
  const low = range.min === undefined ? '' : `${range.minExclusive ? '>' : '≥'} ${range.min}`;
  const high = range.max === undefined ? '' : `${range.maxExclusive ? '<' : '≤'} ${range.max}`;
  const bounds = [low, high].filter(Boolean).join(' and ');
  return bounds ? `${kind} ${bounds}` : kind;
}

export const readPositiveInt = (value: SectionValue, where: string): number => readNumber(value, where, { min: 1, integer: true });

export function readBool(value: SectionValue, where: string): boolean {
  if (typeof value === 'boolean') return value;
  throw badValue(where, '`true` or `false`', value);
}

export function readString(value: SectionValue, where: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw badValue(where, 'a name or a string', value);
}

/** A bare word `adam` or a call `adam(lr = 0.01)`: the name and the named arguments. */
export function readCall(value: SectionValue, where: string): { name: string; args: Readonly<Record<string, SectionValue>> } {
  if (typeof value === 'string') return { name: value, args: {} };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const { name, ...args } = value as Record<string, SectionValue>;
    if (typeof name === 'string') return { name, args };
  }
  throw badValue(where, 'a name such as `adam` or a call such as `adam(lr = 0.01)`', value);
}

/** One item or a list of items, as a list. */
export const asList = (value: SectionValue): readonly SectionValue[] => (Array.isArray(value) ? value : [value as SectionValue]);

/** Checks every argument name against the readers' keys (the valid arguments), then reads each present one. */
export function readArgs<T extends Record<string, unknown>>(
  args: Readonly<Record<string, SectionValue>>,
  where: string,
  readers: { readonly [K in keyof T]?: (value: SectionValue, where: string) => T[K] },
  defaults: T,
): T {
  const valid = Object.keys(readers);
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(args)) {
    if (!valid.includes(key)) throw unknownKey(where, key, valid);
    out[key] = readers[key as keyof T]!(value, `${where}.${key}`);
  }
  return out as T;
}
