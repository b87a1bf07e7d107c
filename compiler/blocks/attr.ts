/**
 * Typed reads of a node's attributes. The elaborator has already checked every value against the
 * block's ArgSpec, so a mismatch here is a compiler bug, not a user error: it throws.
 */
import type { AttrValue, Attrs } from '../ir/ir.js';
import type { Axes, Pair } from './block.js';
import type { Padding, Rounding } from './arith.js';

function read(attrs: Attrs, name: string): AttrValue {
  const value = attrs[name];
  if (value === undefined) throw new Error(`internal: attribute '${name}' missing (defaults not applied?)`);
  return value;
}

function mismatch(name: string, expected: string, value: AttrValue): Error {
  return new Error(`internal: attribute '${name}' should be ${expected}, got ${JSON.stringify(value)}`);
}

export function num(attrs: Attrs, name: string): number {
  const value = read(attrs, name);
  if (typeof value !== 'number') throw mismatch(name, 'a number', value);
  return value;
}

export function optionalNum(attrs: Attrs, name: string): number | null {
  return attrs[name] === null || attrs[name] === undefined ? null : num(attrs, name);
}

export function bool(attrs: Attrs, name: string): boolean {
  const value = read(attrs, name);
  if (typeof value !== 'boolean') throw mismatch(name, 'a boolean', value);
  return value;
}

export function str<T extends string = string>(attrs: Attrs, name: string): T {
  const value = read(attrs, name);
  if (typeof value !== 'string') throw mismatch(name, 'a word', value);
  return value as T;
}

/**
 * An axes attribute with one entry per spatial axis: a single number stands for every axis, a list is
 * taken as written. A list of another length is caught by the shape analysis (GN0110) before blocks read it.
 */
export function axes(attrs: Attrs, name: string, rank: number): Axes {
  const value = read(attrs, name);
  if (typeof value === 'number') return Array.from({ length: rank }, () => value);
  if (Array.isArray(value) && value.length === rank) return value as Axes;
  throw mismatch(name, `an int or a list of ${rank}`, value);
}

export function optionalAxes(attrs: Attrs, name: string, rank: number): Axes | null {
  return attrs[name] === null || attrs[name] === undefined ? null : axes(attrs, name, rank);
}

/** A 2-D axes attribute as [h, w]. */
export function pair(attrs: Attrs, name: string): Pair {
  const [h, w] = axes(attrs, name, 2);
  return [h!, w!];
}

export function optionalPair(attrs: Attrs, name: string): Pair | null {
  return attrs[name] === null || attrs[name] === undefined ? null : pair(attrs, name);
}

/** Padding of a window over `rank` spatial axes: 'same', 'valid' or zeros per axis. */
export function padding(attrs: Attrs, rank = 2, name = 'padding'): Padding {
  const value = read(attrs, name);
  if (value === 'same' || value === 'valid') return value;
  if (typeof value === 'number' || Array.isArray(value)) return axes(attrs, name, rank);
  throw mismatch(name, "'same', 'valid', an int or a list per axis", value);
}

export function rounding(attrs: Attrs, name = 'round'): Rounding {
  return str<Rounding>(attrs, name);
}
